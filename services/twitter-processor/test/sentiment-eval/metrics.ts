/**
 * Agreement figures of a sentiment scorer with people: 3-class accuracy,
 * macro-F1 and Pearson's r. Pure.
 */
import type { SentimentLabel } from "@cryptostream/twitter-processor/text/sentiment";

export const LABELS: readonly SentimentLabel[] = ["positive", "neutral", "negative"];

/** Share of texts whose predicted label is the gold one. */
export function accuracy(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): number {
  if (gold.length !== predicted.length || gold.length === 0) throw new Error("accuracy needs equal, non-empty lists");
  let ok = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) ok++;
  return ok / gold.length;
}

/**
 * Mean F1 over the classes that occur in the gold labels. A class that only
 * the scorer uses (neutral on a two-class set) is not averaged in, but every
 * text it takes counts against the recall of the class it belongs to.
 */
export function macroF1(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): number {
  if (gold.length !== predicted.length || gold.length === 0) throw new Error("macroF1 needs equal, non-empty lists");
  const classes = LABELS.filter((l) => gold.includes(l));
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === c && gold[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.length;
}

/** Pearson's correlation coefficient; NaN when either side is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length || n < 2) throw new Error("pearson needs two equal lists of at least 2 values");
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
