/**
 * Lexicon sentiment of preprocessed tokens with natural's AFINN-165 analyzer.
 *
 * What natural@8.1.1's SentimentAnalyzer.getSentiment(tokens) computes
 * (lib/natural/sentiment/SentimentAnalyzer.js):
 *   score = sum(negator * afinn[token]) / tokens.length
 * where `negator` starts at +1 and becomes -1 at the first token in its English
 * negation list ("not", "no", "never", "neither") and stays -1 for EVERY later
 * token of the list: the flip is not limited to the next word, is never reset, and
 * a second negation does not flip back. Negation tokens themselves score nothing
 * but count in the denominator; tokens missing from AFINN count in the
 * denominator too. An empty list gives 0/0 = NaN, hence the guard below.
 * With stemmer `undefined` (the typings reject `null`; the code treats both as
 * "no stemmer") it only does exact lowercase lookups.
 */

import { natural } from "./natural-quiet.js";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface Sentiment {
  /** Mean AFINN value per token (negation-adjusted), typically within [-1, 1]. */
  score: number;
  label: SentimentLabel;
}

/**
 * Label cut-offs on the per-token mean. After stopword removal a tweet has about
 * 5-25 tokens, so a single mild AFINN word (|value| 1-2) in a 20-token tweet gives
 * |score| = 0.05-0.1: ±0.05 lets one clear sentiment word decide the label while a
 * lone ±1 word drowned in 20+ neutral tokens stays neutral. The labeled set in
 * test/text/sentiment-labeled-set.ts cannot tell cut-offs apart below ±0.15 (its sentences
 * are short, so its smallest non-zero |score| is 1/6; every cut-off from 0 to
 * ±0.15 labels it identically, and ±0.2 or more loses mild sentences), so it gives
 * no reason to move away from ±0.05. test/text/sentiment.test.ts prints this sweep.
 */
export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

// Built once: the constructor copies the whole AFINN vocabulary.
const analyzer = new natural.SentimentAnalyzer("English", undefined, "afinn");

export function labelForScore(score: number): SentimentLabel {
  if (score > POSITIVE_THRESHOLD) return "positive";
  if (score < NEGATIVE_THRESHOLD) return "negative";
  return "neutral";
}

export function scoreSentiment(tokens: readonly string[]): Sentiment {
  if (tokens.length === 0) return { score: 0, label: "neutral" };
  const score = analyzer.getSentiment(tokens as string[]);
  if (!Number.isFinite(score)) return { score: 0, label: "neutral" };
  return { score, label: labelForScore(score) };
}
