/**
 * Emoji -> their English description ("😁" -> "beaming face with smiling
 * eyes"), whose words the valence lexicon then scores, as the reference does.
 *
 * The reference looks up one code point at a time, so sequences never match:
 * "❤️" (heart + variation selector 16) leaves "red heart\uFE0F", a token the
 * lexicon does not know, and a description is glued to the text after it
 * ("😁great"). `replaceEmoji` (the default) matches the longest listed
 * sequence first, drops what is left of a sequence (variation selectors, zero
 * width joiners, skin tones) and puts spaces on both sides.
 * An emoji that the valence lexicon lists itself (the crypto supplement's 🚀)
 * stays as a token of its own. `replaceEmojiLikeReference` reproduces the
 * reference exactly.
 */

const VS16 = "\ufe0f";
// Regional indicator letters: two make a flag.
const isRegional = (cp: number): boolean => cp >= 0x1f1e6 && cp <= 0x1f1ff;
// Variation selectors, zero width joiner, skin tones: parts of a sequence, nothing alone.
const isLeftover = (cp: number): boolean =>
  cp === 0xfe0e || cp === 0xfe0f || cp === 0x200d || (cp >= 0x1f3fb && cp <= 0x1f3ff);
// Code points that can start an emoji: anything outside ASCII. Pure ASCII text skips the scan.
const NON_ASCII = /[^\x00-\x7f]/;

export interface EmojiTable {
  readonly descriptions: ReadonlyMap<string, string>;
  /** Longest key, in code points. */
  readonly longest: number;
  /** First code points of the keys: only there can a match start. */
  readonly starts: ReadonlySet<number>;
  /** Emoji the valence lexicon scores itself: they stay as a token instead of becoming words. */
  readonly scored: ReadonlySet<string>;
}

export function emojiTable(
  descriptions: ReadonlyMap<string, string>,
  lexicon?: ReadonlyMap<string, number>,
): EmojiTable {
  let longest = 1;
  const starts = new Set<number>();
  const scored = new Set<string>();
  for (const k of descriptions.keys()) {
    longest = Math.max(longest, [...k].length);
    starts.add(k.codePointAt(0)!);
    if (lexicon?.has(k)) scored.add(k);
  }
  return { descriptions, longest, starts, scored };
}

/** vaderSentiment 3.3.2's loop, code point by code point. */
export function replaceEmojiLikeReference(text: string, table: EmojiTable): string {
  if (!NON_ASCII.test(text)) return text;
  let out = "";
  let prevSpace = true;
  for (const ch of text) {
    const description = table.descriptions.get(ch);
    if (description !== undefined) {
      if (!prevSpace) out += " ";
      out += description;
      prevSpace = false;
    } else {
      out += ch;
      prevSpace = ch === " ";
    }
  }
  return out;
}

/** Longest listed sequence first, spaced on both sides; leftover joiners and modifiers dropped. */
export function replaceEmoji(text: string, table: EmojiTable): string {
  if (!NON_ASCII.test(text)) return text;
  let out = "";
  let plainFrom = 0; // text since here is copied as it is
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) < 0x80) {
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    if (table.starts.has(cp)) {
      // Where a sequence starting here may end: after this code point, and after each
      // joiner, modifier or selector that follows (and the code point after a joiner).
      ends.length = 0;
      ends.push(next);
      for (let j = next, joined = false; j < text.length && ends.length < table.longest; ) {
        const c = text.codePointAt(j)!;
        if (!joined && !isLeftover(c) && c !== 0x20e3 && !(c >= 0xe0020 && c <= 0xe007f) && !isRegional(c)) break;
        joined = c === 0x200d;
        j += c > 0xffff ? 2 : 1;
        ends.push(j);
      }
      let match: { end: number; replacement: string } | undefined;
      for (let k = ends.length - 1; k >= 0 && !match; k--) {
        let key = text.slice(i, ends[k]);
        // The lexicon lists some emoji without their VS16 ("❤" for "❤️").
        if (!table.descriptions.has(key) && key.endsWith(VS16)) key = key.slice(0, -1);
        const description = table.descriptions.get(key);
        if (description !== undefined)
          match = { end: ends[k]!, replacement: table.scored.has(key) ? key : description };
      }
      if (match) {
        out += `${text.slice(plainFrom, i)} ${match.replacement} `;
        i = plainFrom = match.end;
        continue;
      }
    }
    if (isLeftover(cp)) {
      out += text.slice(plainFrom, i);
      plainFrom = next;
    }
    i = next;
  }
  return out + text.slice(plainFrom);
}
