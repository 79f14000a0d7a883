import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { kafkajsPatched } from "../kafkajs.js";
import { RECORD_FILE } from "./index.js";
import { requireNow } from "./module-cache.js";
import { type EncodedRecord, type RecordInput, exactRecord } from "./record.js";

/** kafkajs's own Record encoder, evaluated from its file (the cached one is ours). */
function originalRecord(): (input: RecordInput) => EncodedRecord {
  const mod = { exports: undefined as unknown };
  const req = createRequire(RECORD_FILE);
  new Function("module", "exports", "require", readFileSync(RECORD_FILE, "utf8"))(mod, {}, req);
  return mod.exports as (input: RecordInput) => EncodedRecord;
}

test("exact records are byte for byte kafkajs's records", () => {
  const original = originalRecord();
  const ours = exactRecord(original);
  let seed = 11;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const keys = [null, undefined, "", "btcusdt", "bitcoin OR ethereum", "€uro-ключ", Buffer.from([0, 255, 7])];
  const deltas = [0, 1, -1, 63, 64, -65, 8191, 8192, 2 ** 31, -(2 ** 31) - 5, 2 ** 40 + 3, -(2 ** 44)];
  for (let i = 0; i < 3000; i++) {
    const size = [0, 1, 100, 127, 128, 429, 600, 16_383, 16_384, 70_000][rnd(10)]!;
    const valueBytes = Buffer.alloc(size, 0x41 + (i % 26));
    const value = [valueBytes, valueBytes.toString("latin1"), null, "ünïcødé ✓"][rnd(4)];
    const input: RecordInput = {
      offsetDelta: rnd(3) === 0 ? rnd(100_000) : rnd(600),
      timestampDelta: deltas[rnd(deltas.length)]!,
      key: keys[rnd(keys.length)],
      value,
    };
    assert.deepEqual(ours(input).buffer, original(input).buffer, JSON.stringify({ ...input, value: size }));
  }
  // Headers and defaults take kafkajs's own path or match it.
  const withHeaders = { key: "k", value: Buffer.from("v"), headers: { a: "1", b: ["2", "3"] } };
  assert.deepEqual(ours(withHeaders).buffer, original(withHeaders).buffer);
  assert.deepEqual(ours({ value: Buffer.from("x") }).buffer, original({ value: Buffer.from("x") }).buffer);
});

test("kafkajs's produce requests use the exact record encoder", () => {
  assert.equal(kafkajsPatched, true);
  const Record = requireNow(RECORD_FILE) as (input: RecordInput) => EncodedRecord;
  const r = Record({ key: "k", value: Buffer.from("value") });
  assert.equal(r.constructor.name, "ExactRecord");
  assert.equal(r.buf.length, r.buffer.length);
});
