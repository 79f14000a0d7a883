import { hashSeed } from "../prng.js";

/**
 * next_token values. The token carries the exclusive upper id bound of the
 * next page (the oldest id already returned) plus a checksum, in lowercase
 * base 36 so it looks as opaque as the real ones. The client repeats its other
 * parameters (query, since_id...) with the token, as with the real API.
 */

const ID_WIDTH = 13; // 2^64 in base 36 needs 13 digits

function checksum(idText: string): string {
  return (hashSeed("next:" + idText) % 36 ** 6).toString(36).padStart(6, "0");
}

export function encodePageToken(boundaryId: bigint): string {
  const idText = boundaryId.toString(36).padStart(ID_WIDTH, "0");
  return "b" + idText + checksum(idText);
}

export function decodePageToken(token: string): bigint | undefined {
  if (!/^b[0-9a-z]{19}$/u.test(token)) return undefined;
  const idText = token.slice(1, 1 + ID_WIDTH);
  if (checksum(idText) !== token.slice(1 + ID_WIDTH)) return undefined;
  let v = 0n;
  for (const ch of idText) v = v * 36n + BigInt(parseInt(ch, 36));
  return v;
}
