/**
 * AT Protocol identifiers as Jetstream carries them: did:plc DIDs, TIDs
 * (record keys and revisions: 53 bits of microseconds and 10 bits of clock id,
 * 13 characters of base32-sortable) and CIDs (base32 "bafyrei..." strings).
 */
import type { Rng } from "./rng.js";

const B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz";
const B32 = "abcdefghijklmnopqrstuvwxyz234567";

function randomChars(rng: Rng, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

/** A did:plc identifier: 24 base32 characters after the method. */
export function makeDid(rng: Rng): string {
  return `did:plc:${randomChars(rng, B32, 24)}`;
}

/** A TID for `timeUs` with clock id `clockId` (0-1023). Sorts as its time does. */
export function makeTid(timeUs: number, clockId: number): string {
  let v = (BigInt(Math.floor(timeUs)) << 10n) | BigInt(clockId & 0x3ff);
  let s = "";
  for (let i = 0; i < 13; i++) {
    s = B32_SORTABLE[Number(v & 31n)] + s;
    v >>= 5n;
  }
  return s;
}

export function makeCid(rng: Rng): string {
  return `bafyrei${randomChars(rng, B32, 52)}`;
}
