/**
 * The lexicon files shipped in services/twitter-processor/assets/ (copied
 * into the service's image next to dist/): VADER's lexicons as published in
 * vaderSentiment 3.3.2 and our crypto supplement. assets/README.md records
 * their origin, license and checksums.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEmojiLexicon, parseValenceLexicon, type Valences } from "./vader/lexicon.js";
import { parseSupplement, type SupplementEntry } from "./crypto-lexicon.js";

// dist/text/lexicon-files.js and src/text/lexicon-files.ts are both two levels below the package.
const ASSETS = new URL("../../assets/", import.meta.url);

export function assetPath(name: string): string {
  return fileURLToPath(new URL(name, ASSETS));
}

const read = (name: string): string => readFileSync(assetPath(name), "utf8");

export function loadVaderLexicon(): Valences {
  return parseValenceLexicon(read("vader/vader_lexicon.txt"));
}

export function loadEmojiLexicon(): Map<string, string> {
  return parseEmojiLexicon(read("vader/emoji_utf8_lexicon.txt"));
}

export function loadCryptoSupplement(): SupplementEntry[] {
  return parseSupplement(read("crypto_lexicon.tsv"));
}
