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
 * `replaceEmojiLikeReference` reproduces the reference exactly.
 */

const VS16 = "\ufe0f";
const LEFTOVER = /[\ufe0e\ufe0f\u200d]|\u{1f3fb}|\u{1f3fc}|\u{1f3fd}|\u{1f3fe}|\u{1f3ff}/u;
// Code points that can start an emoji: anything outside ASCII. Pure ASCII text skips the scan.
const NON_ASCII = /[^\x00-\x7f]/;

export interface EmojiTable {
  readonly descriptions: ReadonlyMap<string, string>;
  /** Longest key, in code points. */
  readonly longest: number;
}

export function emojiTable(descriptions: ReadonlyMap<string, string>): EmojiTable {
  let longest = 1;
  for (const k of descriptions.keys()) longest = Math.max(longest, [...k].length);
  return { descriptions, longest };
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
    let description: string | undefined;
    for (let len = Math.min(table.longest, cps.length - i); len >= 1; len--) {
      let key = cps[i]!;
      for (let k = 1; k < len; k++) key += cps[i + k]!;
      description = table.descriptions.get(key);
      // The lexicon lists some emoji without their VS16 ("❤" for "❤️").
      if (description === undefined && key.endsWith(VS16)) description = table.descriptions.get(key.slice(0, -1));
      if (description !== undefined) {
        matched = len;
        break;
      }
    }
    if (matched > 0) {
      out += ` ${description} `;
      i += matched;
    } else {
      const ch = cps[i]!;
      if (!LEFTOVER.test(ch)) out += ch;
      i++;
    }
  }
  return out;
}
