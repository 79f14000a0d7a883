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
const LEFTOVER = /[\ufe0e\ufe0f\u200d]|\u{1f3fb}|\u{1f3fc}|\u{1f3fd}|\u{1f3fe}|\u{1f3ff}/u;
// Code points that can start an emoji: anything outside ASCII. Pure ASCII text skips the scan.
const NON_ASCII = /[^\x00-\x7f]/;

export interface EmojiTable {
  readonly descriptions: ReadonlyMap<string, string>;
  /** Longest key, in code points. */
  readonly longest: number;
  /** Emoji the valence lexicon scores itself: they stay as a token instead of becoming words. */
  readonly scored: ReadonlySet<string>;
}

export function emojiTable(descriptions: ReadonlyMap<string, string>, lexicon?: ReadonlyMap<string, number>): EmojiTable {
  let longest = 1;
  const scored = new Set<string>();
  for (const k of descriptions.keys()) {
    longest = Math.max(longest, [...k].length);
    if (lexicon?.has(k)) scored.add(k);
  }
  return { descriptions, longest, scored };
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
  const cps = [...text];
  let out = "";
  for (let i = 0; i < cps.length; ) {
    let matched = 0;
    let replacement: string | undefined;
    for (let len = Math.min(table.longest, cps.length - i); len >= 1; len--) {
      let key = cps[i]!;
      for (let k = 1; k < len; k++) key += cps[i + k]!;
      // The lexicon lists some emoji without their VS16 ("❤" for "❤️").
      if (!table.descriptions.has(key) && key.endsWith(VS16)) key = key.slice(0, -1);
      const description = table.descriptions.get(key);
      if (description !== undefined) {
        replacement = table.scored.has(key) ? key : description;
        matched = len;
        break;
      }
    }
    if (matched > 0) {
      out += ` ${replacement} `;
      i += matched;
    } else {
      const ch = cps[i]!;
      if (!LEFTOVER.test(ch)) out += ch;
      i++;
    }
  }
  return out;
}
