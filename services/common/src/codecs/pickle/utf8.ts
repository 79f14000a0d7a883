/**
 * UTF-8 with Python's "surrogatepass" error handler, which is what pickle uses for str:
 * a lone surrogate (legal in both a JS string and a Python str) travels as its 3-byte
 * generalised UTF-8 form ED A0..BF 80..BF instead of being replaced or rejected.
 */
import { isUtf8 } from "node:buffer";

// In a u-flag regex a character class only matches *lone* surrogates: pairs form one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Encodes text that may contain lone surrogates; well-formed text should use Buffer's encoder. */
export function encodeSurrogatePass(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 3);
  let pos = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code < 0x80) {
      out[pos++] = code;
    } else if (code < 0x800) {
      out[pos++] = 0xc0 | (code >> 6);
      out[pos++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      // Lone surrogates land here too and get the 3-byte form surrogatepass expects.
      out[pos++] = 0xe0 | (code >> 12);
      out[pos++] = 0x80 | ((code >> 6) & 0x3f);
      out[pos++] = 0x80 | (code & 0x3f);
    } else {
      out[pos++] = 0xf0 | (code >> 18);
      out[pos++] = 0x80 | ((code >> 12) & 0x3f);
      out[pos++] = 0x80 | ((code >> 6) & 0x3f);
      out[pos++] = 0x80 | (code & 0x3f);
    }
  }
  return out.subarray(0, pos);
}

type SliceFn = (this: Buffer, start: number, end: number) => string;
// Buffer's per-encoding slice methods skip toString's encoding lookup, which matters for the
// many short keys of a typical payload; fall back to toString if a runtime lacks them.
const proto = Buffer.prototype as unknown as { latin1Slice?: SliceFn; utf8Slice?: SliceFn };
const latin1Slice: SliceFn =
  typeof proto.latin1Slice === "function"
    ? proto.latin1Slice
    : function (this: Buffer, s, e) {
        return this.toString("latin1", s, e);
      };
const utf8Slice: SliceFn =
  typeof proto.utf8Slice === "function"
    ? proto.utf8Slice
    : function (this: Buffer, s, e) {
        return this.toString("utf8", s, e);
      };

/** Above this length the native SIMD validator beats a JS byte loop. */
const NATIVE_VALIDATION_FROM = 256;

/**
 * Decodes bytes[start, end) the way Python's bytes.decode("utf-8", "surrogatepass") does, or
 * returns undefined when Python would raise (overlong forms, stray continuation bytes, code
 * points past U+10FFFF, truncated sequences).
 */
export function decodeSurrogatePass(bytes: Buffer, start: number, end: number): string | undefined {
  if (end - start > NATIVE_VALIDATION_FROM) {
    const view = bytes.subarray(start, end);
    return isUtf8(view) ? utf8Slice.call(bytes, start, end) : decodeSlow(view);
  }
  if (end - start <= CACHED_MAX) {
    const cached = cachedAscii(bytes, start, end);
    if (cached !== undefined) return cached;
  }
  let i = start;
  while (i < end && bytes[i]! < 0x80) i++;
  if (i === end) return latin1Slice.call(bytes, start, end); // ASCII: the common case
  switch (classifyUtf8(bytes, i, end)) {
    case "valid":
      return utf8Slice.call(bytes, start, end);
    case "surrogates":
      return decodeSlow(bytes.subarray(start, end));
    default:
      return undefined;
  }
}

/**
 * Short ASCII strings (dict keys above all) repeat in every message. Returning the same string
 * object for the same bytes spares a native call, and lets V8 reuse the internalized key when
 * it is stored into an object, which is where most decode time went without this cache.
 */
const CACHED_MAX = 24;
const CACHE_SLOTS = 4096; // power of two
const cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

function cachedAscii(bytes: Buffer, start: number, end: number): string | undefined {
  let hash = end - start;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return undefined;
    hash = Math.imul(hash ^ b, 0x01000193);
  }
  const slot = (hash ^ (hash >>> 15)) & (CACHE_SLOTS - 1);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === end - start) {
    let same = true;
    for (let i = 0; i < hit.length; i++) {
      if (hit.charCodeAt(i) !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  const text = latin1Slice.call(bytes, start, end);
  cache[slot] = text;
  return text;
}

/** Strict UTF-8 check that tells encoded surrogates (fine for surrogatepass) from real errors. */
function classifyUtf8(bytes: Buffer, from: number, end: number): "valid" | "surrogates" | "invalid" {
  let surrogates = false;
  let i = from;
  while (i < end) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    const b1 = i + 1 < end ? bytes[i + 1]! : 0;
    if ((b1 & 0xc0) !== 0x80) return "invalid";
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= end || (bytes[i + 2]! & 0xc0) !== 0x80) return "invalid";
      if (b0 === 0xe0 && b1 < 0xa0) return "invalid"; // overlong
      if (b0 === 0xed && b1 >= 0xa0) surrogates = true;
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= end || (bytes[i + 2]! & 0xc0) !== 0x80 || (bytes[i + 3]! & 0xc0) !== 0x80) return "invalid";
      if ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 >= 0x90)) return "invalid"; // overlong / > U+10FFFF
      i += 4;
    } else {
      return "invalid";
    }
  }
  return surrogates ? "surrogates" : "valid";
}

function decodeSlow(view: Buffer): string | undefined {
  const units: number[] = [];
  let text = "";
  const n = view.length;
  let i = 0;
  while (i < n) {
    const b0 = view[i]!;
    let code: number;
    if (b0 < 0x80) {
      code = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = view[i + 1];
      if (b1 === undefined || (b1 & 0xc0) !== 0x80) return undefined;
      code = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      const b1 = view[i + 1];
      const b2 = view[i + 2];
      if (b1 === undefined || b2 === undefined) return undefined;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return undefined;
      code = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (code < 0x800) return undefined; // overlong; surrogates (D800-DFFF) are passed through
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      const b1 = view[i + 1];
      const b2 = view[i + 2];
      const b3 = view[i + 3];
      if (b1 === undefined || b2 === undefined || b3 === undefined) return undefined;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return undefined;
      code = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      if (code < 0x10000 || code > 0x10ffff) return undefined;
      i += 4;
    } else {
      return undefined;
    }
    if (code >= 0x10000) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else {
      units.push(code);
    }
    // Flush in slices so String.fromCharCode never sees a huge argument list.
    if (units.length >= 4096) {
      text += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return text + String.fromCharCode(...units);
}
