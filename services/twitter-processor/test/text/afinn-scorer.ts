/**
 * The twitter-processor's scorer before VADER, kept as a baseline for the
 * agreement table and the throughput comparison: natural's AFINN-165 mean per
 * preprocessed token (negation-adjusted), labelled at ±0.05.
 *
 * What natural@8.1.1's SentimentAnalyzer.getSentiment(tokens) computes:
 *   score = sum(negator * afinn[token]) / tokens.length
 * where `negator` becomes -1 at the first negation token and stays -1 for
 * every later token; tokens missing from AFINN count in the denominator.
 */
import { natural } from "@cryptostream/twitter-processor/text/natural-quiet";
import { preprocess } from "@cryptostream/twitter-processor/text/preprocess";
import { labelForScore, type SentimentLabel } from "@cryptostream/twitter-processor/text/sentiment";

const analyzer = new natural.SentimentAnalyzer("English", undefined, "afinn");

export function afinnScore(tokens: readonly string[]): number {
  if (tokens.length === 0) return 0;
  const score = analyzer.getSentiment(tokens as string[]);
  return Number.isFinite(score) ? score : 0;
}

/** Preprocessing plus AFINN, as the processor scored a tweet before. */
export function afinnSentiment(text: string): { score: number; label: SentimentLabel } {
  const score = afinnScore(preprocess(text).tokens);
  return { score, label: labelForScore(score) };
}
