import { test } from "node:test";
import assert from "node:assert/strict";
import { Partitioners } from "./kafkajs.js";
import { KeyBuffers, memoizedDefaultPartitioner } from "./key-partitioner.js";

const meta = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ partitionId: i, partitionErrorCode: 0, leader: 0, replicas: [0], isr: [0] }));

test("memoized partitioner picks kafkajs's (Java-compatible murmur2) partition for every key and count", () => {
  const keys = new KeyBuffers();
  const memo = memoizedDefaultPartitioner();
  const reference = Partitioners.DefaultPartitioner();
  for (const n of [1, 3, 7, 12]) {
    for (let i = 0; i < 500; i++) {
      const key = `SYM${i}USDT`;
      for (let twice = 0; twice < 2; twice++) {
        const args = { topic: "binance", partitionMetadata: meta(n), message: { key: keys.of(key), value: "x" } };
        assert.equal(memo(args), reference({ ...args, message: { key, value: "x" } }), `${key} over ${n}`);
      }
    }
  }
});

test("memoized partitioner: explicit partitions are kept, keyless messages spread round robin", () => {
  const memo = memoizedDefaultPartitioner();
  assert.equal(
    memo({ topic: "t", partitionMetadata: meta(3), message: { key: Buffer.from("a"), partition: 2, value: "x" } }),
    2,
  );
  const seen = new Set<number>();
  for (let i = 0; i < 30; i++)
    seen.add(memo({ topic: "t", partitionMetadata: meta(3), message: { key: null, value: "x" } }));
  assert.deepEqual([...seen].sort(), [0, 1, 2]);
});

test("KeyBuffers: one Buffer per key, with the key's UTF-8 bytes", () => {
  const keys = new KeyBuffers();
  const a = keys.of("btcusdt");
  assert.equal(keys.of("btcusdt"), a);
  assert.deepEqual(keys.of("€"), Buffer.from([0xe2, 0x82, 0xac]));
});
