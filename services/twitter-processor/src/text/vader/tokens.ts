/**
 * VADER's tokens ("words and emoticons") and the string tests it applies to
 * them, with Python's semantics where JavaScript's differ: the reference
 * splits on Python's whitespace, strips Python's `string.punctuation` (ASCII
 * only) from both ends, counts code points, and tests `str.isupper()`.
 */

// str.split() with no argument: Python's whitespace (str.isspace), which
// includes the ASCII separators \x1c-\x1f and excludes U+FEFF, unlike \s.
const PY_WHITESPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
// string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
const PUNCT_EDGES = /^[!-/:-@[-`{-~]+|[!-/:-@[-`{-~]+$/g;
const NON_ASCII = /[^\x00-\x7f]/;

export function pySplit(text: string): string[] {
  return text.split(PY_WHITESPACE).filter((w) => w.length > 0);
}

/** Length in code points, as Python's len(). */
export function codePoints(s: string): number {
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Leading and trailing punctuation removed, unless that leaves two code
 * points or fewer: then the token was probably an emoticon (":)", ":-(", "<3")
 * and stays whole.
 */
export function stripPunctuationIfWord(token: string): string {
  const stripped = token.replace(PUNCT_EDGES, "");
  return codePoints(stripped) <= 2 ? token : stripped;
}

/** The reference's tokens: whitespace-separated, edge punctuation stripped from words. */
export function wordsAndEmoticons(text: string): string[] {
  return pySplit(text).map(stripPunctuationIfWord);
}

const ASCII_UPPER = /^[^a-z]*[A-Z][^a-z]*$/;

/** Python's str.isupper(): at least one cased character and no lowercase one. */
export function isUpper(s: string): boolean {
  if (!NON_ASCII.test(s)) return ASCII_UPPER.test(s); // the same answer without two new strings
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

/** True when some, but not all, tokens are ALL CAPS (only then do caps add emphasis). */
export function allCapDifferential(words: readonly string[], caps: readonly boolean[] = words.map(isUpper)): boolean {
  let n = 0;
  for (const c of caps) if (c) n++;
  return n > 0 && n < words.length;
}
