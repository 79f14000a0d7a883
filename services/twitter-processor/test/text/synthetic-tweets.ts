/**
 * Deterministic synthetic tweets of a given length for throughput measurements:
 * a mix of plain words, AFINN words, negations, mentions, hashtags, cashtags,
 * links, entities, numbers, emoji and some non-Latin words, like real crypto tweets.
 */

const PIECES = [
  "bitcoin",
  "ethereum",
  "price",
  "market",
  "today",
  "the",
  "is",
  "to",
  "and",
  "of",
  "great",
  "bad",
  "love",
  "scam",
  "gains",
  "crash",
  "happy",
  "worried",
  "don't",
  "not",
  "never",
  "@CryptoWhale",
  "#BTC",
  "#Ethereum",
  "$SOL",
  "https://t.co/AbC123xYz",
  "&amp;",
  "64,200",
  "+3.2%",
  "🚀",
  "🔥🔥",
  "😭",
  "биткоин",
  "ビットコイン",
  "RT",
  "HODL",
  "moon",
  "FUD",
  "pump",
  "dump",
  "whales",
  "buying",
  "selling",
  "chart",
  "breakout",
  "support",
];

/** Simple LCG so runs are reproducible without a dependency. */
function nextRandom(state: { seed: number }): number {
  state.seed = (Math.imul(state.seed, 1664525) + 1013904223) >>> 0;
  return state.seed / 0x1_0000_0000;
}

const ASCII_PIECES = PIECES.filter((p) => /^[\x00-\x7f]*$/.test(p));

/**
 * `asciiOnly` drops the emoji and non-Latin pieces; with them almost every tweet
 * contains non-ASCII text and takes preprocess's slower Unicode path.
 */
export function makeSyntheticTweets(count: number, length = 280, seed = 42, asciiOnly = false): string[] {
  const pieces = asciiOnly ? ASCII_PIECES : PIECES;
  const state = { seed };
  const tweets: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = i % 3 === 0 ? "RT @someone: " : "";
    while (text.length < length) {
      text += pieces[Math.floor(nextRandom(state) * pieces.length)]! + (nextRandom(state) < 0.1 ? "! " : " ");
    }
    tweets.push(text.slice(0, length));
  }
  return tweets;
}
