/**
 * Fixed byte vectors written by CPython 3.11's pickle.dumps (see python-vectors.ts), so these
 * tests need no Python at run time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "@cryptostream/common/codecs/codec";
import { decodePickle, encodePickle, type PickleValue } from "@cryptostream/common/codecs/pickle/index";
import { FROM_PYTHON } from "./python-vectors.js";
import { tag } from "./pickle-fixtures.js";

const hex = (h: string): Buffer => Buffer.from(h, "hex");

const record = {
  id: "1",
  n: 42,
  f: 1.5,
  ok: true,
  none: null,
  l: [1, "two", 3],
  t: [1, 2],
  b: Buffer.from([0x00, 0xff]),
  big: 2n ** 70n,
  neg: -(2n ** 70n),
};

const DECODES_TO: [keyof typeof FROM_PYTHON, PickleValue][] = [
  ["record_p3", record],
  ["record_p4", record],
  ["record_p5", record],
  ["record_p2", { id: "1", n: 42, f: 1.5, ok: false, l: [1, "two", 3], t: [1, 2, 3], big: 2n ** 70n }],
  ["record_p1", { a: [1, 2.5, true, null], k: "v" }],
  ["list_p0", [1, 2.5, false, null, 2n ** 70n, -7]],
  ["unicode_p4", "é😀中文"],
  ["lone_surrogate_p4", "a\ud800b"],
  ["ints_p2", [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2n ** 53n, -(2n ** 64n), 2n ** 200n]],
  ["floats_p4", [0, -0, 2, Infinity, -Infinity, NaN, 1e-300]],
  ["tuples_p4", [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]],
  ["empties_p4", [[], {}, "", Buffer.alloc(0)]],
  ["bytearray_p5", Buffer.from("ab")],
  ["shared_p4", [[1], [1]]],
];

for (const [name, expected] of DECODES_TO) {
  test(`decodes CPython vector ${name}`, () => {
    assert.deepEqual(tag(decodePickle(hex(FROM_PYTHON[name]))), tag(expected));
  });
}

test("decoded types: bigint only beyond 2^53, bytes as a Buffer copy, whole floats as numbers", () => {
  const input = hex(FROM_PYTHON.record_p4);
  const value = decodePickle(input) as typeof record;
  assert.equal(typeof value.n, "number");
  assert.equal(typeof value.big, "bigint");
  assert.equal(value.big, 2n ** 70n);
  assert.ok(Buffer.isBuffer(value.b));
  input.fill(0); // transports reuse receive buffers: decoded bytes must not alias the input
  assert.deepEqual([...value.b], [0x00, 0xff]);
  const ints = decodePickle(hex(FROM_PYTHON.ints_p2)) as unknown[];
  assert.equal(ints[8], 2 ** 31);
  assert.equal(typeof ints[8], "number");
  assert.equal(typeof ints[9], "bigint"); // 2**53 is one past Number.MAX_SAFE_INTEGER
  const floats = decodePickle(hex(FROM_PYTHON.floats_p4)) as number[];
  assert.ok(Object.is(floats[1], -0));
  assert.equal(floats[2], 2);
  assert.deepEqual(Object.keys(value), ["id", "n", "f", "ok", "none", "l", "t", "b", "big", "neg"]);
});

test("a memo GET yields the same object twice, as Python shares it", () => {
  const value = decodePickle(hex(FROM_PYTHON.shared_p4)) as unknown[];
  assert.equal(value[0], value[1]);
});

const REFUSED: [keyof typeof FROM_PYTHON, RegExp][] = [
  ["cycle_p4", /cyclic reference/],
  ["intkey_p4", /SETITEM .* has a dict key of type int; only str keys/],
  ["set_p4", /EMPTY_SET \(0x8f\) is not supported/],
  ["datetime_p4", /STACK_GLOBAL \(0x93\) is refused/],
  ["ordereddict_p4", /STACK_GLOBAL \(0x93\) is refused/],
  ["bytes_p2", /at byte 2, opcode GLOBAL \(0x63 'c'\) is refused/],
];

for (const [name, message] of REFUSED) {
  test(`refuses CPython vector ${name}`, () => {
    assert.throws(
      () => decodePickle(hex(FROM_PYTHON[name])),
      (err: unknown) => err instanceof CodecError && message.test(err.message),
    );
  });
}

test("our encoder's bytes for a small record are pinned", () => {
  // Checked with pickletools.dis and pickle.loads under /usr/bin/python3.
  const bytes = encodePickle({
    a: [1, "b"],
    c: [2],
    f: 1.5,
    s: "é😀",
    by: Buffer.from("xy"),
    t: true,
    n: null,
    big: -(2n ** 64n),
  });
  assert.equal(
    bytes.toString("hex"),
    "80047d288c01615d284b018c0162658c01635d4b02618c0166473ff80000000000008c01738c06c3a9f09f98808c02627943027879" +
      "8c0174888c016e4e8c03626967" +
      "8a090000000000000000ff" +
      "752e",
  );
  assert.equal(encodePickle(null, { protocol: 5 }).toString("hex"), "80054e2e");
});
