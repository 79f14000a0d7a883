/**
 * Fitting text into a fixed-width UTF-8 byte field ("S<n>") without losing it.
 *
 * h5wasm truncates an over-long string at the byte limit, which can split a
 * code point; numpy/h5py strip trailing NUL bytes; h5wasm's own reader and
 * HDF5's conversion to null-terminated strings stop at the first NUL. So a
 * value goes whole into the fixed field only when its UTF-8 fits the width
 * AND holds no NUL byte at all. Otherwise the full bytes go to an overflow
 * heap and the field holds a readable prefix: cut before the first NUL and at
 * the last code-point boundary within the width.
 */

export interface FittedField {
  /** What the fixed field stores (its UTF-8 never exceeds the width, never holds NUL). */
  readonly prefix: string;
  /** The exact UTF-8 length of the whole value. */
  readonly byteLength: number;
  /** The whole value's UTF-8 bytes when the field cannot hold it exactly; undefined otherwise. */
  readonly overflow: Buffer | undefined;
}

/** Largest cut <= limit that does not fall inside a multi-byte UTF-8 sequence. */
export function utf8BoundaryAtOrBefore(bytes: Uint8Array, limit: number): number {
  let cut = Math.min(limit, bytes.length);
  // Continuation bytes are 10xxxxxx; back up to the lead byte of the sequence.
  while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

export function fitUtf8(text: string, width: number): FittedField {
  const bytes = Buffer.from(text, "utf8");
  const nul = bytes.indexOf(0);
  if (nul < 0 && bytes.length <= width) return { prefix: text, byteLength: bytes.length, overflow: undefined };
  const limit = nul < 0 ? width : Math.min(width, nul);
  const cut = utf8BoundaryAtOrBefore(bytes, limit);
  return { prefix: bytes.toString("utf8", 0, cut), byteLength: bytes.length, overflow: bytes };
}

/** A short ASCII-ish code (lang, ids) cut to the width at a code-point boundary. */
export function clipUtf8(text: string, width: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= width && bytes.indexOf(0) < 0) return text;
  const nul = bytes.indexOf(0);
  return bytes.toString("utf8", 0, utf8BoundaryAtOrBefore(bytes, nul < 0 ? width : Math.min(width, nul)));
}
