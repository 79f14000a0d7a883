/**
 * Tweet text -> lowercase word tokens: /tweets' cleaned_text and token_count,
 * for search and reading. Sentiment is not scored from them: VADER needs the
 * casing, punctuation and emoji that this removes (see sentiment.ts).
 *
 * Steps, in order (each one's reason is beside its pattern below):
 *   decode HTML entities -> NFKC (non-ASCII only) -> lowercase -> drop the
 *   "RT @user:" marker, URLs, t.co links and @mentions -> extract words ->
 *   normalise negative contractions to "not" -> drop stopwords (negations kept).
 *
 * What a token is: a run of letters of any script (Unicode \p{L}) with their
 * combining marks (\p{M}), optionally joined by apostrophes. Consequently:
 *   - digits, punctuation, symbols and emoji never appear in tokens ("web3" -> "web",
 *     "🚀" -> nothing);
 *   - "#bitcoin" and "$BTC" keep their word ("bitcoin", "btc");
 *   - Russian, Greek, Arabic, ... words survive whole; scripts written without
 *     spaces (Japanese, Chinese, Thai) come out as one token per run of letters
 *     between punctuation/spaces, since no word segmenter is involved.
 * natural's WordTokenizer/AggressiveTokenizer were not used: they match [A-Za-z]
 * only (or Latin + Cyrillic for WordTokenizer) and silently delete Japanese and
 * accented letters ("café" -> "caf"). TreebankWordTokenizer and WordPunctTokenizer
 * split non-Latin words into single characters. natural's RegexpTokenizer with a
 * Unicode pattern keeps them. No stemming: the stored words stay as written.
 */

import { decodeHtmlEntities } from "./html-entities.js";
import { natural } from "./natural-quiet.js";
import { stripTweetMarkup } from "./tweet-markup.js";
import { NEGATION_TOKEN, NEGATION_WORDS, NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE, STOPWORDS } from "./stopwords.js";

export interface Preprocessed {
  /** The tokens joined by single spaces. */
  cleaned: string;
  tokens: string[];
}

// Letters of any script with their combining marks, apostrophes allowed inside.
const WORD = /\p{L}[\p{L}\p{M}]*(?:['’`´]\p{L}[\p{L}\p{M}]*)*/gu;
// The same pattern restricted to ASCII, where it matches identically (after
// lowercasing the only ASCII letters are a-z, the only ASCII apostrophes ' and `);
// about 3x faster than the Unicode property classes.
const ASCII_WORD = /[a-z]+(?:['`][a-z]+)*/g;
// ʼ (U+02BC) is a letter, so WORD keeps it inside a token; it is split on like the others.
const APOSTROPHE = /['’`´ʼ]/;
const APOSTROPHE_ANYWHERE = /['’`´ʼ]/g;
const NEGATIVE_CONTRACTION_ENDING = /n['’`´ʼ]t$/;
const NON_ASCII = /[^\x00-\x7f]/;

const wordTokenizer = new natural.RegexpTokenizer({ pattern: WORD, gaps: false });
const asciiWordTokenizer = new natural.RegexpTokenizer({ pattern: ASCII_WORD, gaps: false });

function pushWord(word: string, out: string[]): void {
  if (NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE.has(word)) out.push(NEGATION_TOKEN);
  else if (NEGATION_WORDS.has(word) || !STOPWORDS.has(word)) out.push(word);
}

/** Maps raw word matches to final tokens (negations normalised, stopwords dropped). */
function filterWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (NEGATIVE_CONTRACTION_ENDING.test(word)) {
      out.push(NEGATION_TOKEN); // don't, isn’t, won't, can't, donʼt ...
    } else if (APOSTROPHE.test(word)) {
      // it's -> it + s, bitcoin's -> bitcoin + s: the parts go through the stopword filter.
      for (const part of word.split(APOSTROPHE_ANYWHERE)) if (part) pushWord(part, out);
    } else if (words[i + 1] === "t" && NEGATIVE_CONTRACTIONS_WITHOUT_APOSTROPHE.has(word + "t")) {
      // "don t": the apostrophe was some other character and became a gap.
      out.push(NEGATION_TOKEN);
      i++;
    } else {
      pushWord(word, out);
    }
  }
  return out;
}

/** Cleans and tokenizes one tweet. Pure; safe on any string. */
export function preprocess(text: string): Preprocessed {
  let s = decodeHtmlEntities(text);
  // NFKC folds full-width letters and "＠"/"＃" to ASCII and composes accents;
  // skipped for pure ASCII text, where it is a costly no-op.
  if (NON_ASCII.test(s)) s = s.normalize("NFKC");
  s = s.toLowerCase();
  s = stripTweetMarkup(s);
  const tokenizer = NON_ASCII.test(s) ? wordTokenizer : asciiWordTokenizer;
  const tokens = filterWords(tokenizer.tokenize(s) ?? []);
  return { cleaned: tokens.join(" "), tokens };
}
