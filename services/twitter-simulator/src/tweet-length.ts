/**
 * Tweet length as Twitter counts it (twitter-text "v3" weighting, simplified):
 * Latin and most European scripts count 1, CJK and other scripts count 2, an
 * emoji sequence (including ZWJ sequences and flags) counts 2, and every URL
 * counts 23 because t.co wraps it.
 */

const URL_RE = /https?:\/\/[^\s]+/gu;
const EMOJI_RE =
  /(?:\p{Regional_Indicator}{2})|(?:[#*0-9]\uFE0F?\u20E3)|(?:\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*)/gu;

function codePointWeight(cp: number): number {
  if (cp <= 4351) return 1;
  if (cp >= 8192 && cp <= 8205) return 1;
  if (cp >= 8208 && cp <= 8223) return 1;
  if (cp >= 8242 && cp <= 8247) return 1;
  return 2;
}

export function weightedLength(text: string): number {
  let total = 0;
  const withoutUrls = text.normalize("NFC").replace(URL_RE, () => {
    total += 23;
    return "";
  });
  const withoutEmoji = withoutUrls.replace(EMOJI_RE, () => {
    total += 2;
    return "";
  });
  for (const ch of withoutEmoji) total += codePointWeight(ch.codePointAt(0) ?? 0);
  return total;
}

export const MAX_WEIGHTED_LENGTH = 280;

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Cuts `text` (at code-point boundaries, never inside a URL) so it fits, ending with "…". */
export function truncateToFit(text: string, max = MAX_WEIGHTED_LENGTH): string {
  if (weightedLength(text) <= max) return text;
  const words = text.split(/(?<=\s)/u);
  let out = "";
  for (const w of words) {
    if (weightedLength(out + w + "…") > max) {
      // A long word (e.g. unspaced Japanese) is cut between graphemes, so no
      // emoji ZWJ sequence is split; a short one is dropped whole.
      if (out === "" || [...w].length > 30) {
        for (const { segment } of graphemes.segment(w)) {
          if (weightedLength(out + segment + "…") > max) break;
          out += segment;
        }
      }
      break;
    }
    out += w;
  }
  return out.trimEnd() + "…";
}
