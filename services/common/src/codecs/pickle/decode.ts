/**
 * Pickle bytes -> JS value, for untrusted input. This is a small stack machine that implements
 * only the opcodes that build plain data (None, bool, int, float, str, bytes, list, tuple, dict)
 * plus the memo and framing opcodes CPython emits around them. Every opcode that would import
 * or call Python code is refused by name, so nothing in the input can make us run anything.
 *
 * Decoded forms: tuples become arrays, bytes/bytearray become a Buffer (a copy, never a view of
 * the input), whole floats such as 2.0 become the number 2 (JS has one number type, so the
 * int/float distinction of whole floats is lost), ints become numbers when they are safe
 * integers and bigints otherwise. Only str dict keys are accepted.
 *
 * Everything thrown out of decodePickle is a CodecError.
 */
import { CodecError } from "../codec.js";
import { HIGHEST_PROTOCOL, Op, describeOpcode } from "./opcodes.js";
import { findShapeProblem } from "./shape-check.js";
import { decodeSurrogatePass } from "./utf8.js";
import { isContainer, isDict, type PickleDict, type PickleValue } from "./value.js";

export interface DecodeOptions {
  /** Largest input accepted, in bytes. Default 16 MiB. */
  maxBytes?: number;
  /** Largest declared length of one str or bytes payload. Default: maxBytes. */
  maxLength?: number;
  /** Largest int payload in bytes (LONG1/LONG4; the text forms by digit count). Default 1024. */
  maxIntBytes?: number;
  /** Most list/tuple elements plus dict entries in the whole value, counting shared
   *  containers each time they are reachable. Default 1,000,000. */
  maxItems?: number;
  /** Deepest container nesting. Default 1000 (about CPython's own recursion limit). */
  maxDepth?: number;
}

type Limits = Required<DecodeOptions>;

export const DEFAULT_DECODE_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxLength: 16 * 1024 * 1024,
  maxIntBytes: 1024,
  maxItems: 1_000_000,
  maxDepth: 1000,
});

export function decodePickle(bytes: Uint8Array, opts: DecodeOptions = {}): PickleValue {
  if (!(bytes instanceof Uint8Array)) throw new CodecError("pickle", "input is not a byte array");
  const limits = resolveLimits(opts);
  if (bytes.length > limits.maxBytes) {
    throw new CodecError("pickle", `input of ${bytes.length} bytes exceeds the ${limits.maxBytes}-byte limit`);
  }
  try {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const unpickler = new Unpickler(buf, limits);
    const value = unpickler.run();
    const problem = findShapeProblem(value, limits, unpickler.sharesContainers);
    if (problem !== undefined) throw new CodecError("pickle", `decoded value refused: ${problem}`);
    return value;
  } catch (err) {
    if (err instanceof CodecError) throw err;
    // Defence in depth: nothing else may escape, whatever the bytes were.
    throw new CodecError("pickle", `malformed input (${err instanceof Error ? err.message : String(err)})`);
  }
}

function resolveLimits(opts: DecodeOptions): Limits {
  const limits: Limits = {
    maxBytes: opts.maxBytes ?? DEFAULT_DECODE_LIMITS.maxBytes,
    maxLength: opts.maxLength ?? opts.maxBytes ?? DEFAULT_DECODE_LIMITS.maxLength,
    maxIntBytes: opts.maxIntBytes ?? DEFAULT_DECODE_LIMITS.maxIntBytes,
    maxItems: opts.maxItems ?? DEFAULT_DECODE_LIMITS.maxItems,
    maxDepth: opts.maxDepth ?? DEFAULT_DECODE_LIMITS.maxDepth,
  };
  // A NaN or negative limit would make every comparison pass: refuse it outright.
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new CodecError("pickle", `option ${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  return limits;
}

const REFUSED_CALLS = new Set<number>([
  Op.GLOBAL,
  Op.STACK_GLOBAL,
  Op.REDUCE,
  Op.BUILD,
  Op.INST,
  Op.OBJ,
  Op.NEWOBJ,
  Op.NEWOBJ_EX,
  Op.EXT1,
  Op.EXT2,
  Op.EXT4,
  Op.PERSID,
  Op.BINPERSID,
]);

const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// A Map, not an object literal: text such as "constructor" must not find Object.prototype members.
const SPECIAL_FLOATS = new Map<string, number>([
  ["inf", Infinity],
  ["+inf", Infinity],
  ["-inf", -Infinity],
  ["infinity", Infinity],
  ["+infinity", Infinity],
  ["-infinity", -Infinity],
  ["nan", NaN],
  ["+nan", NaN],
  ["-nan", NaN],
]);

class Unpickler {
  private pos = 0;
  private opStart = 0;
  private op = 0;
  private readonly stack: PickleValue[] = [];
  /** Stack heights at each open MARK; items below the newest one are out of reach (the fence). */
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PickleValue>();
  /** Arrays that stand for Python tuples, which are immutable: appending to one is an error. */
  private readonly tuples = new Set<PickleValue[]>();
  private inserted = 0;
  /** Set once a memo GET or DUP hands out a container a second time (sharing, maybe cycles). */
  sharesContainers = false;

  constructor(
    private readonly buf: Buffer,
    private readonly limits: Limits,
  ) {}

  run(): PickleValue {
    const buf = this.buf;
    for (;;) {
      if (this.pos >= buf.length)
        throw new CodecError("pickle", `input ended at byte ${this.pos} without a STOP opcode`);
      this.opStart = this.pos;
      const op = buf[this.pos++]!;
      this.op = op;
      switch (op) {
        case Op.PROTO: {
          const version = this.u8();
          if (version > HIGHEST_PROTOCOL) throw this.fail(`asks for unsupported protocol ${version}`);
          break;
        }
        case Op.FRAME: {
          // Frames only group opcodes for buffered reading; we have the whole input already.
          const size = this.u64();
          if (size > buf.length - this.pos) throw this.fail(`declares a frame of ${size} bytes, past the end of input`);
          break;
        }
        case Op.STOP:
          return this.stop();

        case Op.NONE:
          this.push(null);
          break;
        case Op.NEWTRUE:
          this.push(true);
          break;
        case Op.NEWFALSE:
          this.push(false);
          break;

        case Op.BININT1:
          this.push(this.u8());
          break;
        case Op.BININT2:
          this.need(2);
          this.push(buf.readUInt16LE(this.pos));
          this.pos += 2;
          break;
        case Op.BININT:
          this.need(4);
          this.push(buf.readInt32LE(this.pos));
          this.pos += 4;
          break;
        case Op.LONG1:
          this.push(this.long(this.u8()));
          break;
        case Op.LONG4: {
          const n = this.i32();
          if (n < 0) throw this.fail("declares a negative byte count");
          this.push(this.long(n));
          break;
        }
        case Op.INT: {
          const text = this.line();
          if (text === "00") this.push(false);
          else if (text === "01") this.push(true);
          else this.push(this.intText(text));
          break;
        }
        case Op.LONG: {
          const text = this.line();
          this.push(this.intText(text.endsWith("L") ? text.slice(0, -1) : text));
          break;
        }

        case Op.BINFLOAT:
          this.need(8);
          this.push(buf.readDoubleBE(this.pos));
          this.pos += 8;
          break;
        case Op.FLOAT:
          this.push(this.floatText(this.line()));
          break;

        case Op.SHORT_BINUNICODE:
          this.push(this.utf8(this.u8()));
          break;
        case Op.BINUNICODE:
          this.push(this.utf8(this.u32()));
          break;
        case Op.BINUNICODE8:
          this.push(this.utf8(this.u64()));
          break;
        case Op.SHORT_BINSTRING:
          this.push(this.ascii(this.u8()));
          break;
        case Op.BINSTRING: {
          const n = this.i32();
          if (n < 0) throw this.fail("declares a negative byte count");
          this.push(this.ascii(n));
          break;
        }

        case Op.SHORT_BINBYTES:
          this.push(this.bytes(this.u8()));
          break;
        case Op.BINBYTES:
          this.push(this.bytes(this.u32()));
          break;
        case Op.BINBYTES8:
        case Op.BYTEARRAY8:
          this.push(this.bytes(this.u64()));
          break;

        case Op.EMPTY_LIST:
          this.push([]);
          break;
        case Op.EMPTY_DICT:
          this.push({});
          break;
        case Op.EMPTY_TUPLE:
          this.push(this.tuple([]));
          break;
        case Op.TUPLE1:
          this.push(this.tuple(this.popN(1)));
          break;
        case Op.TUPLE2:
          this.push(this.tuple(this.popN(2)));
          break;
        case Op.TUPLE3:
          this.push(this.tuple(this.popN(3)));
          break;
        case Op.TUPLE:
          this.push(this.tuple(this.popMark()));
          break;
        case Op.LIST: {
          const items = this.popMark();
          this.count(items.length);
          this.push(items);
          break;
        }
        case Op.DICT: {
          const items = this.popMark();
          const dict: PickleDict = {};
          this.setItems(dict, items);
          this.push(dict);
          break;
        }
        case Op.APPEND: {
          const item = this.pop();
          this.list().push(item);
          this.count(1);
          break;
        }
        case Op.APPENDS: {
          const items = this.popMark();
          const list = this.list();
          this.count(items.length);
          for (const item of items) list.push(item);
          break;
        }
        case Op.SETITEM: {
          const value = this.pop();
          const key = this.pop();
          this.setItems(this.dict(), [key, value]);
          break;
        }
        case Op.SETITEMS: {
          const items = this.popMark();
          this.setItems(this.dict(), items);
          break;
        }

        case Op.MARK:
          if (this.marks.length >= this.limits.maxItems) throw this.fail("opens too many MARKs");
          this.marks.push(this.stack.length);
          break;
        case Op.POP:
          if (this.stack.length > this.fence()) this.stack.pop();
          else if (this.marks.length > 0) this.marks.pop();
          else throw this.fail("finds too few values on the stack (stack underflow)");
          break;
        case Op.POP_MARK:
          this.popMark();
          break;
        case Op.DUP:
          this.push(this.shared(this.top()));
          break;

        case Op.PUT:
          this.memo.set(this.memoIndexText(), this.top());
          break;
        case Op.BINPUT:
          this.memo.set(this.u8(), this.top());
          break;
        case Op.LONG_BINPUT:
          this.memo.set(this.u32(), this.top());
          break;
        case Op.MEMOIZE:
          this.memo.set(this.memo.size, this.top());
          break;
        case Op.GET:
          this.push(this.recall(this.memoIndexText()));
          break;
        case Op.BINGET:
          this.push(this.recall(this.u8()));
          break;
        case Op.LONG_BINGET:
          this.push(this.recall(this.u32()));
          break;

        case Op.NEXT_BUFFER:
        case Op.READONLY_BUFFER:
          throw this.fail("is refused: out-of-band buffers are not supported");
        case Op.EMPTY_SET:
        case Op.ADDITEMS:
        case Op.FROZENSET:
          throw this.fail("is not supported: sets have no place in the value model");
        case Op.STRING:
        case Op.UNICODE:
          throw this.fail("is not supported: protocol 0 text strings; use protocol 2 or newer");

        default:
          if (REFUSED_CALLS.has(op)) {
            throw this.fail("is refused: it would import or call Python code; only plain data is accepted");
          }
          throw this.fail("is not a known pickle opcode");
      }
    }
  }

  private fail(message: string): CodecError {
    return new CodecError("pickle", `at byte ${this.opStart}, opcode ${describeOpcode(this.op)} ${message}`);
  }

  private stop(): PickleValue {
    if (this.marks.length > 0) throw this.fail("is reached with a MARK still open");
    if (this.stack.length !== 1)
      throw this.fail(`is reached with ${this.stack.length} values on the stack instead of 1`);
    if (this.pos !== this.buf.length) {
      throw this.fail(`is followed by ${this.buf.length - this.pos} bytes of trailing data`);
    }
    return this.stack[0]!;
  }

  // ---- reading arguments -------------------------------------------------------------------

  private need(n: number): void {
    if (n > this.buf.length - this.pos) {
      throw this.fail(`is truncated: needs ${n} bytes, ${this.buf.length - this.pos} left`);
    }
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  private i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** An 8-byte length; anything past 2^53 is certainly past every limit, so report it as such. */
  private u64(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 0x100000000 + lo;
  }

  /** A newline-terminated argument of the protocol 0 text opcodes, newline dropped. */
  private line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) throw this.fail("is truncated: no newline ends its argument");
    const text = this.buf.toString("latin1", this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private payload(n: number): number {
    if (n > this.limits.maxLength) throw this.fail(`declares ${n} bytes, over the ${this.limits.maxLength}-byte limit`);
    this.need(n);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  private utf8(n: number): string {
    const start = this.payload(n);
    const text = decodeSurrogatePass(this.buf, start, start + n);
    if (text === undefined) throw this.fail("holds invalid UTF-8");
    return text;
  }

  /** Python 2 str: Python 3 loads it with encoding="ASCII" by default, so we do the same. */
  private ascii(n: number): string {
    const start = this.payload(n);
    for (let i = start; i < start + n; i++) {
      if (this.buf[i]! >= 0x80) throw this.fail("holds a non-ASCII byte");
    }
    return this.buf.toString("latin1", start, start + n);
  }

  private bytes(n: number): Buffer {
    const start = this.payload(n);
    return Buffer.from(this.buf.subarray(start, start + n));
  }

  /** Little-endian two's complement, as LONG1/LONG4 carry it. */
  private long(n: number): number | bigint {
    if (n > this.limits.maxIntBytes)
      throw this.fail(`declares a ${n}-byte int, over the ${this.limits.maxIntBytes}-byte limit`);
    const start = this.payload(n);
    if (n === 0) return 0;
    const buf = this.buf;
    if (n <= 6) {
      // Fits a double exactly: 48 bits.
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + buf[start + i]!;
      return buf[start + n - 1]! >= 0x80 ? v - 2 ** (8 * n) : v;
    }
    let hex = "";
    for (let i = n - 1; i >= 0; i--) hex += buf[start + i]!.toString(16).padStart(2, "0");
    const unsigned = BigInt("0x" + hex);
    return normalizeInt(buf[start + n - 1]! >= 0x80 ? unsigned - (1n << BigInt(8 * n)) : unsigned);
  }

  private intText(text: string): number | bigint {
    if (!INTEGER_TEXT.test(text)) throw this.fail(`holds ${JSON.stringify(text.slice(0, 40))}, not an integer`);
    if (text.length > this.limits.maxIntBytes * 2.5 + 1) throw this.fail("holds an integer over the size limit");
    return normalizeInt(BigInt(text));
  }

  private floatText(text: string): number {
    const special = SPECIAL_FLOATS.get(text.toLowerCase());
    if (special !== undefined) return special;
    if (!FLOAT_TEXT.test(text)) throw this.fail(`holds ${JSON.stringify(text.slice(0, 40))}, not a float`);
    return Number(text);
  }

  private memoIndexText(): number {
    const text = this.line();
    if (!/^\d{1,15}$/.test(text)) throw this.fail(`holds ${JSON.stringify(text.slice(0, 40))}, not a memo index`);
    return Number(text);
  }

  // ---- the stack -----------------------------------------------------------------------------

  private fence(): number {
    const n = this.marks.length;
    return n === 0 ? 0 : this.marks[n - 1]!;
  }

  private push(value: PickleValue): void {
    // The stack holds future items plus the containers they go into (one per nesting level).
    if (this.stack.length >= this.limits.maxItems + this.limits.maxDepth) {
      throw this.fail(`would grow the stack past ${this.limits.maxItems + this.limits.maxDepth}`);
    }
    this.stack.push(value);
  }

  private pop(): PickleValue {
    if (this.stack.length <= this.fence()) throw this.fail("finds too few values on the stack (stack underflow)");
    return this.stack.pop()!;
  }

  private top(): PickleValue {
    if (this.stack.length <= this.fence()) throw this.fail("finds too few values on the stack (stack underflow)");
    return this.stack[this.stack.length - 1]!;
  }

  private popN(n: number): PickleValue[] {
    if (this.stack.length - n < this.fence()) throw this.fail("finds too few values on the stack (stack underflow)");
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): PickleValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) throw this.fail("has no MARK to pop to");
    return this.stack.splice(mark);
  }

  private recall(index: number): PickleValue {
    const value = this.memo.get(index);
    if (value === undefined) throw this.fail(`refers to memo entry ${index}, which was never stored`);
    return this.shared(value);
  }

  private shared(value: PickleValue): PickleValue {
    if (isContainer(value)) this.sharesContainers = true;
    return value;
  }

  // ---- containers ----------------------------------------------------------------------------

  private count(n: number): void {
    this.inserted += n;
    if (this.inserted > this.limits.maxItems) throw this.fail(`builds more than ${this.limits.maxItems} items`);
  }

  private tuple(items: PickleValue[]): PickleValue[] {
    this.count(items.length);
    this.tuples.add(items);
    return items;
  }

  private list(): PickleValue[] {
    const target = this.top();
    if (!Array.isArray(target) || this.tuples.has(target))
      throw this.fail(`needs a list below, found ${kind(target, this.tuples)}`);
    return target;
  }

  private dict(): PickleDict {
    const target = this.top();
    if (!isDict(target)) throw this.fail(`needs a dict below, found ${kind(target, this.tuples)}`);
    return target;
  }

  private setItems(dict: PickleDict, items: PickleValue[]): void {
    if (items.length % 2 !== 0) throw this.fail("has a key without a value");
    this.count(items.length / 2);
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i]!;
      if (typeof key !== "string")
        throw this.fail(`has a dict key of type ${kind(key, this.tuples)}; only str keys are supported`);
      if (key === "__proto__") {
        // Plain assignment would replace the object's prototype instead of adding a key.
        Object.defineProperty(dict, key, {
          value: items[i + 1]!,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        dict[key] = items[i + 1]!;
      }
    }
  }
}

/** Ints come back as numbers whenever that is exact. */
function normalizeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Python's name for a decoded value's type, for error messages. */
function kind(v: PickleValue, tuples: Set<PickleValue[]>): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof Uint8Array) return "bytes";
  if (Array.isArray(v)) return tuples.has(v) ? "tuple" : "list";
  return "dict";
}
