/**
 * Minimal HTML entity decoding for tweet text. The Twitter API escapes only
 * &amp; &lt; &gt; in `text`, but quoted/copied content brings &quot; &#39; and
 * numeric forms too. Unknown named entities (&hellip; &mdash; ...) are almost
 * always punctuation, so they become a space instead of leaking their name
 * ("hellip") in as a word.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

// &name; | &#123; | &#x1F600;  (names are ASCII letters/digits, as in HTML)
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

function fromCodePoint(cp: number): string {
  // Lone surrogates and out-of-range values are not characters: drop them.
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return " ";
  return String.fromCodePoint(cp);
}

function decodeOnce(text: string): string {
  return text.replace(ENTITY, (_m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
    return NAMED[(name ?? "").toLowerCase()] ?? " ";
  });
}

/**
 * Decodes entities; a second pass handles the double escaping ("&amp;amp;")
 * that retweets of already-escaped text produce.
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  const once = decodeOnce(text);
  return once.includes("&") ? decodeOnce(once) : once;
}
