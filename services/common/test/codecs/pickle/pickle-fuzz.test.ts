/**
 * Mutation fuzzing of the decoder: thousands of damaged variants of valid pickles must each
 * either decode to a value of the documented model or fail with a CodecError, never anything
 * else (no TypeError, RangeError, hang or crash). Seeded, so a failure can be replayed:
 *   PICKLE_FUZZ_SEED=<seed> PICKLE_FUZZ_ITERATIONS=<n> node --test .../pickle-fuzz.test.js
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "@cryptostream/common/codecs/codec";
import { decodePickle, encodePickle, type PickleValue } from "@cryptostream/common/codecs/pickle/index";
import { Op } from "@cryptostream/common/codecs/pickle/opcodes";
import { FROM_PYTHON } from "./python-vectors.js";
import { prng, tag, twitterRecentSearchResponse } from "./pickle-fixtures.js";

const seed = Number(process.env.PICKLE_FUZZ_SEED ?? Date.now() % 1_000_000);
const iterations = Number(process.env.PICKLE_FUZZ_ITERATIONS ?? 50_000);

const seeds: Buffer[] = [
  ...Object.values(FROM_PYTHON).map((h) => Buffer.from(h, "hex")),
  encodePickle(twitterRecentSearchResponse(3)),
  encodePickle({
    s: ["é😀", "a\ud800", "x".repeat(300)],
    n: [0, -1, 70000, 2 ** 40, 2n ** 100n, -(2n ** 70n), 0.5, NaN],
  }),
  encodePickle([[[[{ deep: [1, [2, [3]]] }]]]]),
  encodePickle({ b: Buffer.alloc(300, 7), e: [], d: {} }, { protocol: 5 }),
];

const OPCODES = Object.values(Op);
const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

function mutate(input: Buffer, rand: () => number): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  let b = Buffer.from(input);
  const steps = 1 + int(4);
  for (let s = 0; s < steps; s++) {
    const at = int(b.length + 1);
    switch (int(8)) {
      case 0:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = int(256);
        break;
      case 1:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = OPCODES[int(OPCODES.length)]!;
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(8))]);
        break;
      case 3:
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(
            Array.from({ length: 1 + int(8) }, () => (rand() < 0.5 ? OPCODES[int(OPCODES.length)]! : int(256))),
          ),
          b.subarray(at),
        ]);
        break;
      case 4:
        b = b.subarray(0, at);
        break;
      case 5: {
        const from = int(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + 1 + int(32)), b.subarray(at)]);
        break;
      }
      case 6:
        if (at + 4 <= b.length) b.writeUInt32LE(INTERESTING_U32[int(INTERESTING_U32.length)]!, at);
        break;
      default: {
        const other = seeds[int(seeds.length)]!;
        const from = int(other.length);
        b = Buffer.concat([b.subarray(0, at), other.subarray(from, from + 1 + int(64)), b.subarray(at + int(16))]);
      }
    }
  }
  return b;
}

test(`decoder survives ${iterations} mutated pickles with only CodecError (seed ${seed})`, () => {
  const rand = prng(seed);
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < iterations; i++) {
    const input = mutate(seeds[Math.floor(rand() * seeds.length)]!, rand);
    let value: PickleValue;
    try {
      value = decodePickle(input);
    } catch (err) {
      if (!(err instanceof CodecError)) {
        assert.fail(`seed ${seed}, iteration ${i}: ${String(err)} for input ${input.toString("hex")}`);
      }
      refused++;
      continue;
    }
    decoded++;
    // Whatever decodes must be a value of the model: it encodes, and comes back identical.
    assert.deepEqual(tag(decodePickle(encodePickle(value))), tag(value), `seed ${seed}, iteration ${i}`);
  }
  // Both outcomes must actually happen, or the mutations are not exercising the decoder.
  assert.ok(refused > iterations / 10, `only ${refused} inputs were refused`);
  assert.ok(decoded > iterations / 100, `only ${decoded} inputs decoded`);
  console.log(`fuzz seed ${seed}: ${decoded} decoded, ${refused} refused`);
});
