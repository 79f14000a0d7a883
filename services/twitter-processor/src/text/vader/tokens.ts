/**
 * VADER's tokens ("words and emoticons") and the string tests it applies to
 * them, with Python's semantics where JavaScript's differ: the reference
 * splits on Python's whitespace, strips Python's `string.punctuation` (ASCII
 * only) from both ends, counts code points, and tests `str.isupper()`.
 * Written as scans over character codes: this is the analyser's hot path.
 */

const NON_ASCII = /[^\x00-\x7f]/;

/** str.isspace(): includes the ASCII separators \x1c-\x1f, excludes U+FEFF (unlike \s). */
function isPyWhitespace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** In string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
function isPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** Code points in s[start, end), as Python's len() counts them. */
function codePointsIn(s: string, start: number, end: number): number {
  let n = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < end) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++;
    }
    n++;
  }
  return n;
}

export const codePoints = (s: string): number => codePointsIn(s, 0, s.length);

/** [start, end) pairs, flattened, of the whitespace-separated pieces (str.split()). */
function splitSpans(text: string): number[] {
  const spans: number[] = [];
  let start = -1;
  for (let k = 0; k < text.length; k++) {
    if (isPyWhitespace(text.charCodeAt(k))) {
      if (start >= 0) spans.push(start, k);
      start = -1;
    } else if (start < 0) start = k;
  }
  if (start >= 0) spans.push(start, text.length);
  return spans;
}

/**
 * Leading and trailing punctuation removed, unless that leaves two code
 * points or fewer: then the token was probably an emoticon (":)", ":-(", "<3")
 * and stays whole. Returns the kept part of text[start, end).
 */
function stripSpan(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isPunct(text.charCodeAt(s))) s++;
  while (e > s && isPunct(text.charCodeAt(e - 1))) e--;
  if (s === start && e === end) return [start, end];
  return codePointsIn(text, s, e) <= 2 ? [start, end] : [s, e];
}

export function pySplit(text: string): string[] {
  const spans = splitSpans(text);
  const out: string[] = [];
  for (let k = 0; k < spans.length; k += 2) out.push(text.slice(spans[k], spans[k + 1]));
  return out;
}

export function stripPunctuationIfWord(token: string): string {
  const [s, e] = stripSpan(token, 0, token.length);
  return token.slice(s, e);
}

export interface Tokens {
  readonly words: string[];
  /** Each word lowercased. */
  readonly lower: string[];
  /** Each word's isUpper. */
  readonly caps: boolean[];
}

/**
 * The reference's tokens (whitespace-separated, edge punctuation stripped from
 * words) with their lowercase forms and caps flags. The text is lowercased
 * once as a whole and cut at the same places, which gives the same strings as
 * lowercasing each token whenever lowercasing keeps the text's length (always
 * for ASCII; "İ" is an exception, handled token by token).
 */
export function tokenize(text: string): Tokens {
  const spans = splitSpans(text);
  const lowerText = text.toLowerCase();
  const sameShape = lowerText.length === text.length;
  const words: string[] = [];
  const lower: string[] = [];
  const caps: boolean[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    const [s, e] = stripSpan(text, spans[k]!, spans[k + 1]!);
    const word = text.slice(s, e);
    words.push(word);
    lower.push(sameShape ? lowerText.slice(s, e) : word.toLowerCase());
    caps.push(isUpperIn(text, s, e, word));
  }
  return { words, lower, caps };
}

export const wordsAndEmoticons = (text: string): string[] => tokenize(text).words;

/** isUpper of text[start, end) (= word), scanning character codes where they are ASCII. */
function isUpperIn(text: string, start: number, end: number, word: string): boolean {
  let upper = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x80) return isUpper(word);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

/** Python's str.isupper(): at least one cased character and no lowercase one. */
export function isUpper(s: string): boolean {
  return s !== s.toLowerCase() && s === s.toUpperCase();
}

/** True when some, but not all, tokens are ALL CAPS (only then do caps add emphasis). */
export function allCapDifferential(words: readonly string[], caps: readonly boolean[] = words.map(isUpper)): boolean {
  let n = 0;
  for (const c of caps) if (c) n++;
  return n > 0 && n < words.length;
}
