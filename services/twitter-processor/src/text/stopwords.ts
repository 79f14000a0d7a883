/**
 * Stopword and negation vocabularies for tweet preprocessing.
 *
 * Negations must survive stopword removal: without them the cleaned text of
 * "not good" would read "good". natural's English stopword list contains
 * "never" (and "cannot"), so those are taken out of it here.
 */

import { natural } from "./natural-quiet.js";

/** The token every negative contraction is normalised to (it is in natural's negation list). */
export const NEGATION_TOKEN = "not";

/** Negation words kept as they are. */
export const NEGATION_WORDS: ReadonlySet<string> = new Set([
  "not",
  "no",
  "nor",
  "never",
  "neither",
  "none",
  "nobody",
  "nothing",
  "nowhere",
]);

/**
 * Negative contractions written without an apostrophe, common in tweets; they are
 * mapped to "not". ("wont" and "cant" are also rare English nouns; in tweets the
 * negation reading dominates.) Apostrophe forms ("don't", "isn’t") are recognised
 * by their "n't" ending instead of a list.
 */
export const NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE: ReadonlySet<string> = new Set([
  "aint",
  "arent",
  "cannot",
  "cant",
  "couldnt",
  "didnt",
  "doesnt",
  "dont",
  "hadnt",
  "hasnt",
  "havent",
  "isnt",
  "mustnt",
  "neednt",
  "shouldnt",
  "wasnt",
  "werent",
  "wont",
  "wouldnt",
]);

/**
 * natural's English stopwords (it includes single letters, digits, "$", "_")
 * minus negations, plus the retweet marker "rt".
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [...natural.stopwords, "rt"].filter(
    (w) => !NEGATION_WORDS.has(w) && !NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE.has(w),
  ),
);
