/** Word pools the composer draws from. All names and handles are invented. */

export interface Coin {
  readonly name: string;
  readonly sym: string;
  /** A typical price in USD; each tweet varies it by up to ±20 %. */
  readonly price: number;
}

export const COINS: readonly Coin[] = [
  { name: "Bitcoin", sym: "BTC", price: 67_000 },
  { name: "Bitcoin", sym: "BTC", price: 67_000 }, // listed twice: it dominates the conversation
  { name: "Ethereum", sym: "ETH", price: 3_400 },
  { name: "Ethereum", sym: "ETH", price: 3_400 },
  { name: "Solana", sym: "SOL", price: 160 },
  { name: "Cardano", sym: "ADA", price: 0.45 },
  { name: "Dogecoin", sym: "DOGE", price: 0.16 },
  { name: "XRP", sym: "XRP", price: 0.55 },
  { name: "Polkadot", sym: "DOT", price: 7 },
  { name: "Chainlink", sym: "LINK", price: 15 },
  { name: "Avalanche", sym: "AVAX", price: 35 },
  { name: "Litecoin", sym: "LTC", price: 85 },
  { name: "BNB", sym: "BNB", price: 580 },
  { name: "Toncoin", sym: "TON", price: 6.8 },
  { name: "Shiba Inu", sym: "SHIB", price: 0.000024 },
];

export const HASHTAGS: readonly string[] = [
  "#Bitcoin",
  "#BTC",
  "#Ethereum",
  "#ETH",
  "#crypto",
  "#Crypto",
  "#DeFi",
  "#NFT",
  "#Web3",
  "#HODL",
  "#altcoins",
  "#blockchain",
  "#bullrun",
  "#bearmarket",
  "#Solana",
  "#Dogecoin",
  "#cryptonews",
  "#trading",
  "#btc",
  "#CryptoTwitter",
  "#暗号資産",
  "#биткоин",
  "#بيتكوين",
  "#比特币",
  "#क्रिप्टो",
];

export const EMOJI: readonly string[] = [
  "🚀",
  "🌕",
  "📈",
  "📉",
  "💎🙌",
  "🔥",
  "😭",
  "😱",
  "🤡",
  "🐻",
  "🐂",
  "💰",
  "🤑",
  "👀",
  "⚠️",
  "✅",
  "❌",
  "🧵",
  "💸",
  "🙏",
  "😂",
  "🥲",
  "🫡",
  "👍🏽",
  "🙌🏾",
  // zero-width-joiner sequences: several code points, one glyph
  "👨‍💻",
  "🧑‍🚀",
  "👩‍💻",
  "🐻‍❄️",
  "❤️‍🔥",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "😮‍💨",
  "🤦‍♂️",
  "🤷‍♀️",
  "🇺🇸",
  "🇯🇵",
];

/** Handle stems; authors and mentions append digits or suffixes to them. */
export const HANDLE_STEMS: readonly string[] = [
  "satoshi_fan",
  "hodl_queen",
  "chartwizard",
  "defi_dad",
  "moonboi",
  "cryptoNewsWire",
  "whale_watch",
  "ledger_larry",
  "bagholder_bob",
  "gm_anon",
  "eth_maxi",
  "btc_archive",
  "altseason_al",
  "quant_kat",
  "onchain_olga",
  "taro_crypto",
  "ivan_trader",
  "sara_sats",
  "node_runner",
  "candle_carl",
  "mempool_maya",
  "degen_dave",
  "yield_yuki",
  "fud_buster",
  "stacker_sam",
  "block_bianca",
  "ravi_invests",
  "li_wei_chain",
  "amira_coins",
  "pedro_pump",
  "hana_hodl",
  "kofi_keys",
  "nina_nodes",
  "oleg_orders",
  "zara_zk",
];

export const NAME_WORDS: readonly string[] = [
  "Crypto",
  "Sats",
  "Moon",
  "Chain",
  "Block",
  "Degen",
  "Whale",
  "Anon",
  "Trader",
  "Builder",
  "Maxi",
  "Node",
  "Alpha",
  "Ape",
  "Bull",
  "Bear",
  "Hodler",
  "Miner",
  "Dev",
  "Signal",
];

const URL_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A t.co short link as the API shows it: https://t.co/ plus 10 characters. */
export function tcoUrl(randomInt: (n: number) => number): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += URL_ALPHABET[randomInt(URL_ALPHABET.length)];
  return `https://t.co/${code}`;
}

/** Formats a price the way people tweet it: "$67,412", "$3,401.50", "$0.1612". */
export function formatPrice(value: number): string {
  if (value >= 1000) return "$" + groupThousands(Math.round(value));
  if (value >= 1) return "$" + value.toFixed(2);
  const digits = Math.max(4, 2 - Math.floor(Math.log10(value)) + 2);
  return "$" + value.toFixed(Math.min(digits, 10));
}

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
