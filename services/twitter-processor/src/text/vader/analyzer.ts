/**
 * A port of vaderSentiment 3.3.2's SentimentIntensityAnalyzer (Hutto &
 * Gilbert 2014; MIT): valence lexicon, boosters and dampeners, negation
 * within the three preceding tokens, "least", "but", ALL-CAPS emphasis among
 * lowercase words, "!" and "?" emphasis, emoji and emoticons, and the
 * normalised compound score in [-1, 1].
 *
 * `reference: true` reproduces the Python package exactly: the same four
 * numbers for each of the 26,871 texts of the evaluation sets
 * (test/support/vader_reference.py). The default departs from it in emoji
 * handling only (emoji.ts: whole sequences such as "❤️" are found, and an
 * emoji the lexicon lists is scored as itself). Other departures were tried
 * and measured worse on the human-rated sets (see butCheck).
 */
import { emojiTable, replaceEmoji, replaceEmojiLikeReference, type EmojiTable } from "./emoji.js";
import {
  ALPHA,
  BOOSTERS,
  BUT_AFTER,
  BUT_BEFORE,
  C_INCR,
  EXCLAMATION_INCR,
  MAX_EXCLAMATIONS,
  MAX_QUESTION_AMPLIFIER,
  N_SCALAR,
  NEGATE,
  QUESTION_INCR,
  SPECIAL_CASES,
} from "./rules.js";
import { allCapDifferential, tokenize } from "./tokens.js";

export interface Polarity {
  /** Normalised sum of valences, in [-1, 1], to 4 places as the reference reports it. */
  readonly compound: number;
  /** Shares of positive, neutral and negative weight, to 3 places; they add up to 1 ± 0.002 (all 0 without tokens). */
  readonly pos: number;
  readonly neu: number;
  readonly neg: number;
}

export interface AnalyzerOptions {
  /** Reproduce vaderSentiment 3.3.2 bug for bug (the comparison baseline). */
  readonly reference?: boolean;
}

const ZERO: Polarity = { compound: 0, pos: 0, neu: 0, neg: 0 };

/** VADER's normalisation: s / sqrt(s² + alpha), clamped to [-1, 1]. */
export function normalize(score: number, alpha = ALPHA): number {
  const n = score / Math.sqrt(score * score + alpha);
  return n < -1 ? -1 : n > 1 ? 1 : n;
}

function negated(word: string): boolean {
  return NEGATE.has(word) || word.includes("n't");
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Emphasis from "!" (up to 4) and "?" (2 or more). */
export function punctuationEmphasis(text: string): number {
  const ep = Math.min(count(text, "!"), MAX_EXCLAMATIONS) * EXCLAMATION_INCR;
  const qm = count(text, "?");
  const qa = qm > 1 ? (qm <= 3 ? qm * QUESTION_INCR : MAX_QUESTION_AMPLIFIER) : 0;
  return ep + qa;
}

export class SentimentIntensityAnalyzer {
  private readonly emoji: EmojiTable;
  private readonly reference: boolean;

  constructor(
    private readonly lexicon: ReadonlyMap<string, number>,
    emojiDescriptions: ReadonlyMap<string, string>,
    o: AnalyzerOptions = {},
  ) {
    this.emoji = emojiTable(emojiDescriptions, o.reference ? undefined : lexicon);
    this.reference = o.reference ?? false;
  }

  polarityScores(input: string): Polarity {
    const text = (
      this.reference ? replaceEmojiLikeReference(input, this.emoji) : replaceEmoji(input, this.emoji)
    ).trim();
    const { words, lower, caps } = tokenize(text);
    if (words.length === 0) return ZERO;
    const capDiff = allCapDifferential(words, caps);
    const sentiments: number[] = [];
    for (let i = 0; i < words.length; i++) {
      const item = lower[i]!;
      // Boosters and "kind of" modify the next word; they carry no valence of their own.
      if (BOOSTERS.has(item) || (item === "kind" && lower[i + 1] === "of")) sentiments.push(0);
      else sentiments.push(this.valence(lower, caps, i, capDiff));
    }
    this.butCheck(lower, sentiments);
    return scoreValence(sentiments, text);
  }

  private valence(lower: readonly string[], caps: readonly boolean[], i: number, capDiff: boolean): number {
    const lex = this.lexicon;
    const item = lower[i]!;
    const base = lex.get(item);
    if (base === undefined) return 0;
    let valence = base;
    // "no" before another lexicon word negates it instead of scoring itself.
    if (item === "no" && i !== lower.length - 1 && lex.has(lower[i + 1]!)) valence = 0;
    if (
      (i > 0 && lower[i - 1] === "no") ||
      (i > 1 && lower[i - 2] === "no") ||
      (i > 2 && lower[i - 3] === "no" && (lower[i - 1] === "or" || lower[i - 1] === "nor"))
    )
      valence = base * N_SCALAR;
    if (capDiff && caps[i]) valence += valence > 0 ? C_INCR : -C_INCR;
    for (let d = 0; d < 3; d++) {
      // Boosters and negations up to three tokens back, boosters weaker with distance; a position
      // holding a lexicon word is skipped (as in the reference).
      if (i > d && !lex.has(lower[i - d - 1]!)) {
        let s = scalarIncDec(lower[i - d - 1]!, caps[i - d - 1]!, valence, capDiff);
        if (d === 1 && s !== 0) s *= 0.95;
        if (d === 2 && s !== 0) s *= 0.9;
        valence += s;
        valence = negationCheck(valence, lower, d, i);
        if (d === 2) valence = specialIdiomsCheck(valence, lower, i);
      }
    }
    return leastCheck(valence, lower, i, lex);
  }

  /**
   * Contrastive "but": what comes before it counts half, what follows 1.5 times.
   * Exactly as the reference, which finds each value's position with
   * list.index(value): of two equal valences it scales the first twice and the
   * second not at all. Scaling by position measured worse on the movie reviews
   * (one label, Pearson -0.0001), so the reference's way is kept.
   */
  private butCheck(lower: readonly string[], sentiments: number[]): void {
    const bi = lower.indexOf("but");
    if (bi < 0) return;
    for (let k = 0; k < sentiments.length; k++) {
      const v = sentiments[k]!;
      const si = sentiments.indexOf(v);
      if (si < bi) sentiments[si] = v * BUT_BEFORE;
      else if (si > bi) sentiments[si] = v * BUT_AFTER;
    }
  }
}

function scalarIncDec(wordLower: string, wordCaps: boolean, valence: number, capDiff: boolean): number {
  const b = BOOSTERS.get(wordLower);
  if (b === undefined) return 0;
  let scalar = valence < 0 ? -b : b;
  if (capDiff && wordCaps) scalar += valence > 0 ? C_INCR : -C_INCR;
  return scalar;
}

function negationCheck(valence: number, lower: readonly string[], d: number, i: number): number {
  const w1 = lower[i - 1];
  const w2 = lower[i - 2];
  const w3 = lower[i - 3];
  if (d === 0) return negated(w1!) ? valence * N_SCALAR : valence;
  if (d === 1) {
    if (w2 === "never" && (w1 === "so" || w1 === "this")) return valence * 1.25;
    if (w2 === "without" && w1 === "doubt") return valence;
    return negated(w2!) ? valence * N_SCALAR : valence;
  }
  // As in the reference: "so"/"this" right before the word also scale it by 1.25 here.
  if ((w3 === "never" && (w2 === "so" || w2 === "this")) || w1 === "so" || w1 === "this") return valence * 1.25;
  if (w3 === "without" && (w2 === "doubt" || w1 === "doubt")) return valence;
  return negated(w3!) ? valence * N_SCALAR : valence;
}

// Every word of a special case or a two-word dampener: without one of them near the word, no phrase can match.
const PHRASE_WORDS: ReadonlySet<string> = new Set(
  [...SPECIAL_CASES.keys(), ...[...BOOSTERS.keys()].filter((k) => k.includes(" "))].flatMap((k) => k.split(" ")),
);

function specialIdiomsCheck(valence: number, lower: readonly string[], i: number): number {
  // A phrase can only match where each of its words is a phrase word; most tokens are not,
  // so most calls return here without building a string.
  const w3 = lower[i - 3]!;
  const w2 = lower[i - 2]!;
  const w1 = lower[i - 1]!;
  const w0 = lower[i]!;
  const n1 = lower[i + 1];
  const n2 = lower[i + 2];
  const p3 = PHRASE_WORDS.has(w3);
  const p2 = PHRASE_WORDS.has(w2);
  const p1 = PHRASE_WORDS.has(w1);
  const p0 = PHRASE_WORDS.has(w0);
  const pn1 = n1 !== undefined && PHRASE_WORDS.has(n1);
  if (!(p1 && (p0 || p2)) && !(p3 && p2) && !(p0 && pn1)) return valence;
  let v: number | undefined;
  if (p1 && p0) v = SPECIAL_CASES.get(`${w1} ${w0}`);
  if (v === undefined && p2 && p1 && p0) v = SPECIAL_CASES.get(`${w2} ${w1} ${w0}`);
  if (v === undefined && p2 && p1) v = SPECIAL_CASES.get(`${w2} ${w1}`);
  if (v === undefined && p3 && p2 && p1) v = SPECIAL_CASES.get(`${w3} ${w2} ${w1}`);
  if (v === undefined && p3 && p2) v = SPECIAL_CASES.get(`${w3} ${w2}`);
  if (v !== undefined) valence = v;
  if (p0 && pn1) valence = SPECIAL_CASES.get(`${w0} ${n1}`) ?? valence;
  if (p0 && pn1 && n2 !== undefined && PHRASE_WORDS.has(n2))
    valence = SPECIAL_CASES.get(`${w0} ${n1} ${n2}`) ?? valence;
  // Two-word dampeners ("kind of", "sort of") before the word.
  if (p3 && p2 && p1) valence += BOOSTERS.get(`${w3} ${w2} ${w1}`) ?? 0;
  if (p3 && p2) valence += BOOSTERS.get(`${w3} ${w2}`) ?? 0;
  if (p2 && p1) valence += BOOSTERS.get(`${w2} ${w1}`) ?? 0;
  return valence;
}

function leastCheck(valence: number, lower: readonly string[], i: number, lex: ReadonlyMap<string, number>): number {
  if (i > 0 && lower[i - 1] === "least" && !lex.has("least")) {
    if (i > 1 && (lower[i - 2] === "at" || lower[i - 2] === "very")) return valence;
    return valence * N_SCALAR;
  }
  return valence;
}

function scoreValence(sentiments: readonly number[], text: string): Polarity {
  let sum = 0;
  for (const s of sentiments) sum += s;
  const punct = punctuationEmphasis(text);
  if (sum > 0) sum += punct;
  else if (sum < 0) sum -= punct;
  const compound = normalize(sum);
  let posSum = 0;
  let negSum = 0;
  let neuCount = 0;
  // +1 / -1 compensate for neutral tokens counting 1 each.
  for (const s of sentiments) {
    if (s > 0) posSum += s + 1;
    if (s < 0) negSum += s - 1;
    if (s === 0) neuCount++;
  }
  if (posSum > Math.abs(negSum)) posSum += punct;
  else if (posSum < Math.abs(negSum)) negSum -= punct;
  const total = posSum + Math.abs(negSum) + neuCount;
  return {
    compound: pyRound(compound, 4),
    pos: pyRound(Math.abs(posSum / total), 3),
    neu: pyRound(Math.abs(neuCount / total), 3),
    neg: pyRound(Math.abs(negSum / total), 3),
  };
}

/**
 * Python's round(x, places), as the reference reports its scores (and cuts
 * labels from the rounded compound, so ours must be rounded too): the exact
 * binary value rounded, ties to even. Ties are real here: pos, neu and neg
 * are often k/16 (0.0625 rounds to 0.062, where toFixed gives 0.063).
 */
export function pyRound(x: number, places: number): number {
  const unit = 10 ** places;
  const scaled = Math.abs(x) * unit;
  const floor = Math.floor(scaled);
  const frac = scaled - floor;
  // Away from a tie the nearest integer is plain; k / 10^p is then the double nearest to the
  // decimal, as toFixed's string parsed back would be (division is correctly rounded).
  if (Math.abs(frac - 0.5) > 1e-6) return (Math.sign(x) * (frac > 0.5 ? floor + 1 : floor)) / unit + 0;
  // Near a tie: look at the exact decimal expansion (toFixed is exact up to 100 digits).
  const [int, digits] = Math.abs(x).toFixed(100).split(".") as [string, string];
  if (/^50*$/.test(digits.slice(places)) && Number(digits[places - 1] ?? int.at(-1)) % 2 === 0)
    return Math.sign(x) * Number(`${int}.${digits.slice(0, places)}`) + 0;
  return Number(x.toFixed(places)) + 0; // + 0 turns -0 into 0
}
