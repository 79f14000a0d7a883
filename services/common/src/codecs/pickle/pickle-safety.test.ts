/**
 * Hostile and malformed input: every failure is a CodecError that says what was wrong, and
 * nothing that names Python code is ever acted on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "../codec.js";
import { decodePickle, encodePickle, type DecodeOptions } from "./index.js";
import { Op } from "./opcodes.js";

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ""), "hex");

function assertRefused(bytes: Uint8Array, message: RegExp, opts?: DecodeOptions): void {
  assert.throws(
    () => decodePickle(bytes, opts),
    (err: unknown) => {
      assert.ok(err instanceof CodecError, `expected CodecError, got ${String(err)}`);
      assert.equal(err.codec, "pickle");
      assert.match(err.message, message);
      return true;
    },
  );
}

const MALFORMED: [string, string, RegExp][] = [
  ["empty input", "", /input ended at byte 0 without a STOP opcode/],
  ["only a PROTO", "8004", /input ended at byte 2 without a STOP opcode/],
  ["truncated PROTO", "80", /PROTO .* truncated/],
  ["truncated string", "8004 8c05 616263", /SHORT_BINUNICODE .* truncated: needs 5 bytes, 3 left/],
  ["truncated BINFLOAT", "8004 47 3ff0", /BINFLOAT .* truncated/],
  ["text INT without newline", "8002 49 3132", /INT .* no newline/],
  ["unknown opcode", "8004 ff 2e", /at byte 2, opcode 0xff is not a known pickle opcode/],
  ["protocol 6", "8006 4e 2e", /PROTO .* asks for unsupported protocol 6/],
  ["STOP on an empty stack", "8004 2e", /STOP .* is reached with 0 values on the stack/],
  ["two values at STOP", "8004 4e 4e 2e", /2 values on the stack/],
  ["MARK open at STOP", "8004 5d 28 4b01 2e", /STOP .* is reached with a MARK still open/],
  ["trailing garbage", "8004 4e 2e 00", /STOP .* is followed by 1 bytes of trailing data/],
  ["APPEND on an empty stack", "8004 61 2e", /APPEND .*stack underflow/],
  ["APPEND reaching below a MARK", "8004 5d 28 4b01 61 2e", /APPEND .*stack underflow/],
  ["APPENDS without MARK", "8004 5d 65 2e", /APPENDS .* no MARK/],
  ["APPEND to an int", "8004 4b01 4b02 61 2e", /needs a list below, found int/],
  ["APPEND to a tuple", "8004 29 4b01 61 2e", /needs a list below, found tuple/],
  ["SETITEM on a list", "8004 5d 8c0161 4b01 73 2e", /needs a dict below, found list/],
  ["SETITEMS with an odd count", "8004 7d 28 8c0161 75 2e", /key without a value/],
  ["bytes dict key", "8004 7d 430161 4b01 73 2e", /dict key of type bytes; only str keys/],
  ["None dict key", "8004 7d 4e 4b01 73 2e", /dict key of type None/],
  ["TUPLE2 with one item", "8004 4b01 86 2e", /TUPLE2 .*stack underflow/],
  ["GET of a missing memo entry", "8004 6805 2e", /memo entry 5, which was never stored/],
  ["PUT on an empty stack", "8004 7100 2e", /BINPUT .*stack underflow/],
  ["negative LONG4 length", "8004 8b ffffffff", /declares a negative byte count/],
  ["negative BINSTRING length", "8002 54 ffffffff", /declares a negative byte count/],
  ["non-ASCII Python 2 str", "8002 5501 80 2e", /non-ASCII byte/],
  ["invalid UTF-8", "8004 8c01 ff 2e", /invalid UTF-8/],
  ["overlong UTF-8", "8004 8c02 c0af 2e", /invalid UTF-8/],
  ["UTF-8 past U+10FFFF", "8004 8c04 f4900000 2e", /invalid UTF-8/],
  [
    "FRAME longer than the input",
    "8004 95 ff00000000000000 4e 2e",
    /FRAME .* declares a frame of 255 bytes, past the end of input/,
  ],
  ["2 GiB BINUNICODE", "8004 58 ffffff7f", /declares 2147483647 bytes, over the 16777216-byte limit/],
  ["huge BINUNICODE8", "8004 8d ffffffffffffffff", /over the 16777216-byte limit/],
  ["huge BINBYTES8", "8004 8e 0000000000000100", /over the 16777216-byte limit/],
  ["text INT that is not a number", "8002 49 3132x0a 2e".replace("x", "78"), /not an integer/],
  ["text FLOAT that is not a number", "8002 46 6e6f7065 0a 2e", /not a float/],
  ["text FLOAT naming an Object member", "8002 46 636f6e7374727563746f72 0a 2e", /not a float/],
  ["text GET with a bad index", "8002 67 2d31 0a 2e", /not a memo index/],
  ["self-appended list", "8004 5d 32 61 2e", /cyclic reference/],
  ["dict inside itself", "8004 7d 94 8c0161 6800 73 2e", /cyclic reference/],
];

for (const [name, input, message] of MALFORMED) {
  test(`refuses ${name}`, () => assertRefused(hex(input), message));
}

const CALLS: (keyof typeof Op)[] = [
  "GLOBAL",
  "STACK_GLOBAL",
  "REDUCE",
  "BUILD",
  "INST",
  "OBJ",
  "NEWOBJ",
  "NEWOBJ_EX",
  "EXT1",
  "EXT2",
  "EXT4",
  "PERSID",
  "BINPERSID",
  "NEXT_BUFFER",
  "READONLY_BUFFER",
];

test("every opcode that imports, calls or fetches outside data is refused by name", () => {
  for (const name of CALLS) {
    // Followed by plausible arguments so a lenient decoder would have something to act on.
    const input = Buffer.concat([hex("8004 8c026f73 8c0673797374656d"), Buffer.from([Op[name]]), hex("2e")]);
    assertRefused(input, new RegExp(`at byte 14, opcode ${name} \\(0x[0-9a-f]{2}.*\\) is refused`));
  }
});

test("sets and protocol 0 quoted strings are refused by name", () => {
  for (const name of ["EMPTY_SET", "ADDITEMS", "FROZENSET", "STRING", "UNICODE"] as const) {
    assertRefused(Buffer.from([0x80, 4, Op[name], Op.STOP]), new RegExp(`opcode ${name} .* is not supported`));
  }
});

test("size limits: input bytes, declared lengths, int width, items and depth", () => {
  assertRefused(Buffer.alloc(16 * 1024 * 1024 + 1), /input of 16777217 bytes exceeds the 16777216-byte limit/);
  const text = encodePickle("x".repeat(100));
  assert.equal(decodePickle(text, { maxLength: 100 }), "x".repeat(100));
  assertRefused(text, /declares 100 bytes, over the 99-byte limit/, { maxLength: 99 });
  assertRefused(text, /input of 105 bytes exceeds the 50-byte limit/, { maxBytes: 50 });

  const bigInt = encodePickle(2n ** 2040n); // 256-byte LONG4, under the 1024-byte default
  assert.equal(decodePickle(bigInt), 2n ** 2040n);
  assertRefused(bigInt, /256-byte int, over the 255-byte limit/, { maxIntBytes: 255 });
  assertRefused(hex("8002 4c" + "31".repeat(3000) + "0a 2e"), /integer over the size limit/);

  const list = encodePickle(Array.from({ length: 100 }, (_, i) => i));
  assert.equal((decodePickle(list, { maxItems: 100 }) as unknown[]).length, 100);
  assertRefused(list, /more than 99 items|past 99/, { maxItems: 99 });
});

test("nesting deeper than maxDepth is refused, including tuples that never grow the stack", () => {
  let deep: unknown = 0;
  for (let i = 0; i < 1001; i++) deep = [deep];
  const bytes = encodePickle(deep, { maxDepth: 2000 });
  assertRefused(bytes, /nesting deeper than 1000/);
  assert.ok(decodePickle(bytes, { maxDepth: 1001 }));
  // NONE then 5000 x TUPLE1: ((((None,),),),...) with a one-item stack throughout.
  const tuples = Buffer.concat([hex("8004 4e"), Buffer.alloc(5000, Op.TUPLE1), hex("2e")]);
  assertRefused(tuples, /nesting deeper than 1000/);
});

test("a memo 'billion laughs' is refused by its expanded size, quickly", () => {
  // Level 0 is a list of ten zeros; level k is a list of ten references to level k-1.
  const parts = [hex("8004 5d 28"), Buffer.alloc(20), hex("65 94")];
  for (let i = 0; i < 20; i += 2) parts[1]![i] = Op.BININT1;
  for (let level = 1; level < 9; level++) {
    parts.push(
      hex("30 5d 28"),
      Buffer.from(Array.from({ length: 10 }, () => [Op.BINGET, level - 1]).flat()),
      hex("65 94"),
    );
  }
  parts.push(hex("2e"));
  // Each level stays on the stack until POP (0x30) removes it, so only level 8 is left at STOP.
  const started = process.hrtime.bigint();
  assertRefused(Buffer.concat(parts), /more than 1000000 items once expanded/);
  assert.ok(process.hrtime.bigint() - started < 1_000_000_000n, "the check must not expand the tree");
});

test("a __proto__ key becomes an own property and leaves the prototype alone", () => {
  const value = decodePickle(hex("8004 7d 8c095f5f70726f746f5f5f 7d 8c0178 4b01 73 73 2e")) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>)["x"], undefined);
});

test("input that is not bytes, and nonsense limits, are CodecErrors too", () => {
  assert.throws(
    () => decodePickle(encodePickle(1), { maxItems: NaN }),
    /option maxItems must be a non-negative integer/,
  );
  assert.throws(() => decodePickle(encodePickle(1), { maxDepth: -1 }), CodecError);
  assert.throws(() => decodePickle("8004" as unknown as Uint8Array), CodecError);
  assert.throws(() => decodePickle(null as unknown as Uint8Array), CodecError);
});

test("a Uint8Array view into a larger buffer is read at its offset", () => {
  const inner = encodePickle({ k: [1, "v"] });
  const outer = new Uint8Array(inner.length + 10);
  outer.set(inner, 5);
  assert.deepEqual(decodePickle(outer.subarray(5, 5 + inner.length)), { k: [1, "v"] });
});
