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

/**
 * Decodes bytes[start, end) the way Python's bytes.decode("utf-8", "surrogatepass") does, or
 * returns undefined when Python would raise (overlong forms, stray continuation bytes, code
 * points past U+10FFFF, truncated sequences).
 */
export function decodeSurrogatePass(bytes: Buffer, start: number, end: number): string | undefined {
  const view = bytes.subarray(start, end);
  // Fast path: strictly valid UTF-8 (no surrogates at all) is decoded natively.
  if (isUtf8(view)) return view.toString("utf8");
  return decodeSlow(view);
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
