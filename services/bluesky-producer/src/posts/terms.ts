/**
 * Local keyword filter (Jetstream has none server-side). A term matches as a
 * whole word, case-insensitively: not glued to a letter, digit or underscore
 * on either side, so "btc" matches "BTC", "#btc", "$BTC" and "btc," but not
 * "btcusd"; "eth" not "ethernet"; "bitcoin" not "bitcoiners". A term written
 * with "$" or "#" matches only that cashtag or hashtag. Pure.
 */

export const DEFAULT_TERMS: readonly string[] = [
  "bitcoin",
  "btc",
  "ethereum",
  "eth",
  "crypto",
  "cryptocurrency",
  "solana",
  "dogecoin",
  "$BTC",
  "$ETH",
  "$SOL",
  "$DOGE",
  "$XRP",
  "$ADA",
  "$BNB",
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type TermMatcher = (text: string) => string | undefined;

/** A matcher that returns the first term found (as written in the list), or undefined. */
export function termMatcher(terms: readonly string[]): TermMatcher {
  const cleaned = terms.map((t) => t.trim()).filter((t) => t.length > 0);
  if (cleaned.length === 0) throw new Error("no terms to match");
  // Longest first, so "$BTC" wins over "btc" in what is reported.
  const sorted = [...cleaned].sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])(?:${sorted.map(escape).join("|")})(?![\\p{L}\\p{N}\\p{M}_])`, "iu");
  const byLower = new Map(cleaned.map((t) => [t.toLowerCase(), t]));
  return (text) => {
    const m = re.exec(text);
    return m ? (byLower.get(m[0].toLowerCase()) ?? m[0]) : undefined;
  };
}

/**
 * BLUESKY_LANGS: a post passes when one of its langs has a wanted primary
 * subtag ("en" takes "en-US"); with a filter, posts without langs do not pass.
 */
export function langFilter(wanted: readonly string[]): (langs: readonly string[]) => boolean {
  if (wanted.length === 0) return () => true;
  const set = new Set(wanted.map((l) => l.trim().toLowerCase().split("-")[0]));
  return (langs) => langs.some((l) => set.has(l.toLowerCase().split("-")[0] ?? ""));
}
