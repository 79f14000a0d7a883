/**
 * Tweet sentiment: VADER (text/vader/, a port of vaderSentiment 3.3.2) with
 * VADER's lexicon plus a crypto supplement (assets/crypto_lexicon.tsv).
 *
 * What the analyser sees: the tweet's own text with its casing, punctuation
 * and emoji, because VADER reads emphasis from them ("GREAT!!!" > "great",
 * ":)" and "😭" carry valence, "but" and "not" need their neighbours). Only
 * what is not the author's wording is taken out first (scoringText): HTML
 * entities are decoded ("&lt;3" is the emoticon "<3"), and the retweet
 * marker, links and @mentions are removed (a handle such as "@happy_trader"
 * or a link slug is no sentiment). The cleaned, lowercased tokens of
 * preprocess() are for storage and search only; they are never scored.
 *
 * compound is VADER's normalised sum in [-1, 1]; pos, neu and neg are the
 * shares of positive, neutral and negative weight (they add up to 1, or are
 * all 0 for a text without tokens).
 */
import { mergeLexicon, phraseJoiner } from "./crypto-lexicon.js";
import { decodeHtmlEntities } from "./html-entities.js";
import { loadCryptoSupplement, loadEmojiLexicon, loadVaderLexicon } from "./lexicon-files.js";
import { neutralizeTweetMarkup } from "./tweet-markup.js";
import { SentimentIntensityAnalyzer } from "./vader/analyzer.js";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface Sentiment {
  readonly compound: number;
  readonly pos: number;
  readonly neu: number;
  readonly neg: number;
  readonly label: SentimentLabel;
}

/** VADER's own cut-offs on compound (Hutto & Gilbert's recommended thresholds). */
export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

export function labelForScore(compound: number): SentimentLabel {
  if (compound > POSITIVE_THRESHOLD) return "positive";
  if (compound < NEGATIVE_THRESHOLD) return "negative";
  return "neutral";
}

const supplement = loadCryptoSupplement();
const joinPhrases = phraseJoiner(supplement);
// Built once at load: reading and parsing the lexicons takes about 20 ms.
const analyzer = new SentimentIntensityAnalyzer(mergeLexicon(loadVaderLexicon(), supplement), loadEmojiLexicon());

/** What the analyser scores: the author's words with their casing, punctuation and emoji. */
export function scoringText(text: string): string {
  return joinPhrases(neutralizeTweetMarkup(decodeHtmlEntities(text)));
}

export function scoreSentiment(text: string): Sentiment {
  const p = analyzer.polarityScores(scoringText(text));
  return { ...p, label: labelForScore(p.compound) };
}
