/**
 * JS value -> pickle bytes (protocol 4 by default, 5 on request), using only opcodes that
 * build plain data, so any Python 3.4+ can load the result with pickle.loads.
 *
 * Choices worth knowing:
 * - A number that is a safe integer encodes as int; every other number (fractions, NaN,
 *   ±Infinity, -0, and integers beyond 2^53 whose exact value JS has already lost) as float.
 * - Strings go out as UTF-8 with "surrogatepass", like CPython's pickler: a lone surrogate
 *   becomes the 3-byte sequence that pickle.loads turns back into the same lone surrogate.
 * - Object properties whose value is undefined are skipped, as JSON.stringify does; undefined
 *   anywhere else, functions, symbols, class instances, Maps, Dates and cycles are refused.
 * - No memo and no FRAME opcodes: both are optional in protocol 4 and we never share objects.
 *   Otherwise the bytes are exactly CPython's (same opcode choices and batching), which the
 *   Python round-trip test checks against pickletools.optimize(pickle.dumps(v, 4)).
 */
import { CodecError } from "../codec.js";
import { ByteWriter } from "./byte-writer.js";
import { BATCH_SIZE, Op } from "./opcodes.js";
import { encodeSurrogatePass, hasLoneSurrogate } from "./utf8.js";

export interface EncodeOptions {
  /** Pickle protocol written in the PROTO header: 4 (default; Python 3.4+) or 5 (3.8+). */
  protocol?: 4 | 5;
  /** Deepest container nesting accepted; deeper (or cyclic) input is refused. Default 1000. */
  maxDepth?: number;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** Raised inside the recursion; carries the path to the offending value for the message. */
class EncodeFailure extends Error {
  constructor(
    readonly reason: string,
    readonly path: string[] = [],
  ) {
    super(reason);
  }
}

export function encodePickle(value: unknown, opts: EncodeOptions = {}): Buffer {
  const protocol = opts.protocol ?? 4;
  if (protocol !== 4 && protocol !== 5) {
    throw new CodecError("pickle", `cannot write protocol ${String(protocol)}; use 4 or 5`);
  }
  const encoder = new Encoder(opts.maxDepth ?? 1000);
  encoder.out.byte2(Op.PROTO, protocol);
  try {
    encoder.value(value, 0);
  } catch (err) {
    if (err instanceof EncodeFailure) {
      const where = "$" + err.path.reverse().join("");
      throw new CodecError("pickle", `cannot encode value at ${where}: ${err.reason}`);
    }
    throw new CodecError("pickle", `cannot encode value: ${err instanceof Error ? err.message : String(err)}`);
  }
  encoder.out.byte(Op.STOP);
  return encoder.out.toBuffer();
}

class Encoder {
  readonly out = new ByteWriter();
  /** Containers currently being written, outermost first; used to name cycles in errors. */
  private readonly open: object[] = [];

  constructor(private readonly maxDepth: number) {}

  value(v: unknown, depth: number): void {
    switch (typeof v) {
      case "string":
        return this.str(v);
      case "number":
        return Number.isSafeInteger(v) && !Object.is(v, -0) ? this.int(v) : this.out.f64be(Op.BINFLOAT, v);
      case "boolean":
        return this.out.byte(v ? Op.NEWTRUE : Op.NEWFALSE);
      case "bigint":
        return this.bigint(v);
      case "object":
        if (v === null) return this.out.byte(Op.NONE);
        if (v instanceof Uint8Array) return this.bytes(v);
        return this.container(v, depth + 1);
      default:
        throw new EncodeFailure(`${typeof v} has no pickle form`);
    }
  }

  private container(v: object, depth: number): void {
    if (depth > this.maxDepth) {
      // Checked only here, on the error path: a cycle always ends up this deep.
      const cyclic = this.open.includes(v);
      throw new EncodeFailure(cyclic ? "cyclic reference" : `nesting deeper than ${this.maxDepth}`);
    }
    this.open.push(v);
    if (Array.isArray(v)) {
      this.list(v, depth);
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const name = (v.constructor as { name?: string } | undefined)?.name ?? "unknown";
        throw new EncodeFailure(`${name} instance is not a plain object`);
      }
      this.dict(v as Record<string, unknown>, depth);
    }
    this.open.pop();
  }

  /** Batches like CPython's pickler: MARK..APPENDS per 1000 items, a lone item with APPEND. */
  private list(items: unknown[], depth: number): void {
    const out = this.out;
    out.byte(Op.EMPTY_LIST);
    const n = items.length;
    for (let start = 0; start < n; start += BATCH_SIZE) {
      const end = Math.min(n, start + BATCH_SIZE);
      if (end - start === 1) {
        this.item(items[start], depth, start);
        out.byte(Op.APPEND);
        continue;
      }
      out.byte(Op.MARK);
      for (let i = start; i < end; i++) this.item(items[i], depth, i);
      out.byte(Op.APPENDS);
    }
  }

  private item(v: unknown, depth: number, index: number): void {
    try {
      if (v === undefined) throw new EncodeFailure("undefined has no pickle form");
      this.value(v, depth);
    } catch (err) {
      if (err instanceof EncodeFailure) err.path.push(`[${index}]`);
      throw err;
    }
  }

  /** Same batching as lists: MARK..SETITEMS per 1000 entries, a lone entry with SETITEM. */
  private dict(obj: Record<string, unknown>, depth: number): void {
    const out = this.out;
    out.byte(Op.EMPTY_DICT);
    // Undefined values are skipped, so the batch sizes are only known after filtering.
    let keys = Object.keys(obj);
    for (const key of keys) {
      if (obj[key] === undefined) {
        keys = keys.filter((k) => obj[k] !== undefined);
        break;
      }
    }
    const n = keys.length;
    for (let start = 0; start < n; start += BATCH_SIZE) {
      const end = Math.min(n, start + BATCH_SIZE);
      const single = end - start === 1;
      if (!single) out.byte(Op.MARK);
      for (let i = start; i < end; i++) {
        const key = keys[i]!;
        this.str(key);
        try {
          this.value(obj[key], depth);
        } catch (err) {
          if (err instanceof EncodeFailure) err.path.push(`[${JSON.stringify(key)}]`);
          throw err;
        }
      }
      out.byte(single ? Op.SETITEM : Op.SETITEMS);
    }
  }

  private int(v: number): void {
    const out = this.out;
    if (v >= 0 && v <= 0xff) out.byte2(Op.BININT1, v);
    else if (v >= 0 && v <= 0xffff) out.u16le(Op.BININT2, v);
    else if (v >= INT32_MIN && v <= INT32_MAX) out.i32le(Op.BININT, v);
    else this.long(BigInt(v));
  }

  private bigint(v: bigint): void {
    if (v >= BigInt(INT32_MIN) && v <= BigInt(INT32_MAX)) this.int(Number(v));
    else this.long(v);
  }

  /** LONG1/LONG4: little-endian two's complement in the fewest bytes, as Python writes it. */
  private long(v: bigint): void {
    const magnitude = v < 0n ? ~v : v; // ~v = -v-1 keeps the sign bit count right for negatives
    const hex = magnitude === 0n ? "" : magnitude.toString(16);
    const bits = hex.length === 0 ? 0 : (hex.length - 1) * 4 + Math.floor(Math.log2(parseInt(hex[0]!, 16))) + 1;
    const nbytes = Math.floor(bits / 8) + 1; // +1 bit of sign always fits
    const unsigned = BigInt.asUintN(nbytes * 8, v)
      .toString(16)
      .padStart(nbytes * 2, "0");
    const out = this.out;
    if (nbytes < 256) out.byte2(Op.LONG1, nbytes);
    else out.i32le(Op.LONG4, nbytes);
    out.reserve(nbytes);
    let at = out.position;
    for (let i = unsigned.length - 2; i >= 0; i -= 2) out.setByte(at++, parseInt(unsigned.slice(i, i + 2), 16));
    out.position = at;
  }

  private str(s: string): void {
    const out = this.out;
    const n = s.length;
    if (n <= 85) {
      // At most 3 bytes per UTF-16 unit, so this always fits SHORT_BINUNICODE's 1-byte length.
      out.reserve(2 + n * 3);
      const buf = out.raw;
      const at = out.position;
      // ASCII fast path in JS: most keys and ids are short ASCII, and a native call costs more.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + 2 + i] = c;
      }
      if (i === n || !hasLoneSurrogate(s)) {
        const len = i === n ? n : out.utf8At(s, at + 2);
        buf[at] = Op.SHORT_BINUNICODE;
        buf[at + 1] = len;
        out.position = at + 2 + len;
        return;
      }
    } else if (!hasLoneSurrogate(s)) {
      const len = Buffer.byteLength(s, "utf8");
      this.strHeader(len);
      out.reserve(len);
      out.position = out.position + out.utf8At(s, out.position);
      return;
    }
    const encoded = encodeSurrogatePass(s);
    this.strHeader(encoded.length);
    out.bytes(encoded);
  }

  private strHeader(n: number): void {
    if (n < 256) this.out.byte2(Op.SHORT_BINUNICODE, n);
    else if (n <= 0xffffffff) this.out.u32le(Op.BINUNICODE, n);
    else this.out.u64le(Op.BINUNICODE8, n);
  }

  private bytes(b: Uint8Array): void {
    const n = b.length;
    if (n < 256) this.out.byte2(Op.SHORT_BINBYTES, n);
    else if (n <= 0xffffffff) this.out.u32le(Op.BINBYTES, n);
    else this.out.u64le(Op.BINBYTES8, n);
    this.out.bytes(b);
  }
}
