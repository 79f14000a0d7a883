import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
// Through the one entry point, as the transport loads kafkajs.
import { kafkajsPatched } from "../kafkajs.js";
import { GROUPING_FILE } from "./index.js";
import { groupMessagesPerPartition } from "./linear-grouping.js";
import { kafkajsFile, requireNow } from "./module-cache.js";

/** kafkajs's own (quadratic) implementation, evaluated from its file. */
function originalGrouping(): typeof groupMessagesPerPartition {
  const mod = { exports: undefined as unknown };
  new Function("module", "exports", readFileSync(GROUPING_FILE, "utf8"))(mod, {});
  return mod.exports as typeof groupMessagesPerPartition;
}

test("kafkajs's producer uses the linear grouping once the transport's entry point is loaded", () => {
  assert.equal(kafkajsPatched, true);
  assert.equal(requireNow(GROUPING_FILE), groupMessagesPerPartition);
  // kafkajs's producer (which captured it) is loaded.
  assert.equal(typeof requireNow(kafkajsFile("producer/sendMessages.js")), "function");
});

test("linear grouping gives exactly kafkajs's result: partitions, and message order within each", () => {
  const original = originalGrouping();
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const partitions = 1 + rnd(12);
    const partitionMetadata = Array.from({ length: partitions }, (_, i) => ({ partitionId: i, leader: 0 }));
    const messages = Array.from({ length: rnd(300) }, (_, i) => ({ key: `k${rnd(40)}`, value: String(i) }));
    const partitioner = ({ message }: { message: { key: string } }): number =>
      Number(message.key.slice(1)) % partitions;
    const args = { topic: "t", partitionMetadata, messages, partitioner };
    assert.deepEqual(groupMessagesPerPartition(args), original(args));
  }
  // No partitions known: nothing grouped (kafkajs then refreshes metadata).
  const none = { topic: "t", partitionMetadata: [], messages: [{ key: "a" }], partitioner: () => 0 };
  assert.deepEqual(groupMessagesPerPartition(none), original(none));
});

test("linear grouping stays linear: 20,000 messages over 3 partitions in well under a second", () => {
  const messages = Array.from({ length: 20_000 }, (_, i) => ({ i }));
  const t0 = performance.now();
  const out = groupMessagesPerPartition({
    topic: "t",
    partitionMetadata: [{}, {}, {}],
    messages,
    partitioner: ({ message }) => message.i % 3,
  });
  const ms = performance.now() - t0;
  assert.equal(out[0]!.length + out[1]!.length + out[2]!.length, 20_000);
  // kafkajs's version copies ~67 million array slots for this input.
  assert.ok(ms < 1_000, `took ${ms} ms`);
});
