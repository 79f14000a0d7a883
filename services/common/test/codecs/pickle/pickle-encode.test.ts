/** Encoder choices (documented in encode.ts) and a seeded random round-trip property. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "@cryptostream/common/codecs/codec";
import { decodePickle, encodePickle, pickleCodec, type PickleValue } from "@cryptostream/common/codecs/pickle/index";
import { prng, tag } from "./pickle-fixtures.js";

/** The bytes between PROTO and STOP. */
const body = (value: unknown): string => encodePickle(value).subarray(2, -1).toString("hex");

test("integer numbers are ints, everything else is a float", () => {
  assert.equal(body(1), "4b01");
  assert.equal(body(1.0), "4b01"); // JS cannot tell 1.0 from 1
  assert.equal(body(300), "4d2c01");
  assert.equal(body(-1), "4affffffff");
  assert.equal(body(2 ** 31), "8a050000008000");
  assert.equal(body(Number.MAX_SAFE_INTEGER), "8a07ffffffffffff1f");
  assert.equal(body(-0), "478000000000000000");
  assert.equal(body(0.5), "473fe0000000000000");
  assert.equal(body(2 ** 60), "4743b0000000000000"); // beyond 2^53 the exact int is already lost
  assert.equal(body(NaN), "477ff8000000000000");
  assert.equal(body(-Infinity), "47fff0000000000000");
});

test("bigints use the smallest int opcode, LONG1 or LONG4 by width", () => {
  assert.equal(body(5n), "4b05");
  assert.equal(body(-(2n ** 31n)), "4a00000080");
  assert.equal(body(2n ** 63n), "8a09000000000000008000");
  assert.equal(body(-(2n ** 63n)), "8a080000000000000080");
  assert.equal(body(255n * 2n ** 56n), "8a0900000000000000ff00");
  assert.equal(body(2n ** 2038n).slice(0, 4), "8aff"); // 2039 bits + sign = 255 bytes
  assert.equal(body(2n ** 2039n).slice(0, 10), "8b00010000");
});

test("strings and bytes pick the short or long opcode by UTF-8 length", () => {
  assert.equal(body(""), "8c00");
  assert.equal(body("é"), "8c02c3a9");
  assert.equal(body("a\ud800b"), "8c0561eda08062"); // surrogatepass, as CPython writes it
  assert.equal(body("\udc00\ud83d\ude00"), "8c07edb080f09f9880"); // lone low, then a real pair
  assert.equal(body("x".repeat(255)).slice(0, 4), "8cff");
  assert.equal(body("x".repeat(256)).slice(0, 10), "5800010000");
  assert.equal(body("é".repeat(128)).slice(0, 10), "5800010000");
  assert.equal(body(new Uint8Array([1])), "430101");
  assert.equal(body(Buffer.alloc(256)).slice(0, 10), "4200010000");
});

test("undefined properties are skipped like JSON.stringify; other unsupported values are refused with a path", () => {
  assert.deepEqual(decodePickle(encodePickle({ a: 1, gone: undefined, b: 2 })), { a: 1, b: 2 });
  const refused: [unknown, RegExp][] = [
    [undefined, /at \$: undefined has no pickle form/],
    [{ list: [1, undefined] }, /at \$\["list"\]\[1\]: undefined has no pickle form/],
    [{ f: () => 1 }, /at \$\["f"\]: function has no pickle form/],
    [[Symbol("s")], /at \$\[0\]: symbol/],
    [{ when: new Date(0) }, /Date instance is not a plain object/],
    [new Map([["a", 1]]), /Map instance/],
    [[new Float64Array(2)], /Float64Array instance/],
  ];
  for (const [value, message] of refused) {
    assert.throws(
      () => encodePickle(value),
      (err: unknown) => err instanceof CodecError && message.test(err.message),
    );
  }
  assert.throws(() => encodePickle(1, { protocol: 3 as 4 }), /cannot write protocol 3/);
});

test("cycles and over-deep nesting are refused; shared (acyclic) objects are written twice", () => {
  const loop: unknown[] = [];
  loop.push(loop);
  assert.throws(() => encodePickle({ loop }), /at \$\["loop"\]\[0\](\[0\])+: cyclic reference/);
  const shared = { x: 1 };
  assert.deepEqual(decodePickle(encodePickle([shared, shared])), [{ x: 1 }, { x: 1 }]);
  assert.throws(() => encodePickle([[[1]]], { maxDepth: 2 }), /nesting deeper than 2/);
  assert.ok(encodePickle([[[1]]], { maxDepth: 3 }));
});

test("null-prototype objects are dicts, and protocol 5 only changes the header", () => {
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: "v" });
  assert.deepEqual(decodePickle(encodePickle(bare)), { k: "v" });
  assert.equal(
    encodePickle(bare, { protocol: 5 }).subarray(2).toString("hex"),
    encodePickle(bare).subarray(2).toString("hex"),
  );
  assert.equal(encodePickle(bare, { protocol: 5 })[1], 5);
});

test("pickleCodec implements Codec with CodecError on bad input", () => {
  assert.equal(pickleCodec.name, "pickle");
  const value = { data: [{ id: "1", text: "hi" }], meta: { result_count: 1 } };
  assert.deepEqual(pickleCodec.decode(pickleCodec.encode(value)), value);
  assert.throws(() => pickleCodec.decode(Buffer.from("not a pickle")), CodecError);
  assert.throws(() => pickleCodec.encode(Symbol("x")), CodecError);
});

function randomValue(rand: () => number, depth: number): PickleValue {
  const pick = Math.floor(rand() * (depth > 4 ? 9 : 12));
  const int = (n: number) => Math.floor(rand() * n);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return int(2 ** 20) - 2 ** 19;
    case 3:
      return (rand() - 0.5) * 10 ** int(40);
    case 4:
      return [NaN, Infinity, -Infinity, -0, 2 ** 53, Number.MAX_SAFE_INTEGER][int(6)]!;
    case 5:
      return (BigInt(int(2 ** 30)) << BigInt(int(300))) * (rand() < 0.5 ? -1n : 1n);
    case 6:
    case 7: {
      const units = Array.from({ length: int(40) }, () => (rand() < 0.8 ? 0x20 + int(0x60) : int(0x10000)));
      return String.fromCharCode(...units); // includes lone and paired surrogates
    }
    case 8:
      return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
    case 9:
    case 10:
      return Array.from({ length: int(depth === 0 && rand() < 0.1 ? 2500 : 8) }, () => randomValue(rand, depth + 1));
    default: {
      const obj: Record<string, PickleValue> = {};
      for (let i = int(8); i > 0; i--) obj[String(randomValue(rand, 99)).slice(0, 12)] = randomValue(rand, depth + 1);
      return obj;
    }
  }
}

test("random values survive encode -> decode exactly, and re-encoding gives the same bytes", () => {
  const seed = Number(process.env.PICKLE_PROPERTY_SEED ?? 20240301);
  const rand = prng(seed);
  for (let i = 0; i < 2000; i++) {
    const value = randomValue(rand, 0);
    const bytes = encodePickle(value);
    const back = decodePickle(bytes);
    assert.deepEqual(tag(back), tag(value), `seed ${seed}, case ${i}`);
    assert.ok(encodePickle(back).equals(bytes), `seed ${seed}, case ${i}: re-encoding differs`);
  }
});
