#!/usr/bin/env node
/**
 * Checks that kafkajs (our client) works with a Kafka broker release: starts a
 * throwaway broker of that version (or uses KAFKA_BROKERS), then runs one admin,
 * idempotent acks=all produce, consumer-group consume and offset-commit round
 * trip. Each step prints ok/FAIL on stdout; exit code 0 only if all pass.
 *
 *   node scripts/kafka/smoke.mjs                  # the pinned version
 *   node scripts/kafka/smoke.mjs --version 4.1.0  # try another release
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KAFKA_VERSION, MissingToolError, startBroker } from "./broker-lib.mjs";
import { REPO_ROOT } from "./jars.mjs";

const { Kafka, logLevel } = createRequire(join(REPO_ROOT, "services", "common", "package.json"))("kafkajs");
const { values } = parseArgs({ options: { version: { type: "string" } } });
const version = values.version ?? KAFKA_VERSION;
const progress = (l) => process.stderr.write(`[kafka] ${l}\n`);

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    process.stdout.write(`ok    ${name} (${Date.now() - t0} ms)${detail ? `: ${detail}` : ""}\n`);
    return true;
  } catch (err) {
    process.stdout.write(`FAIL  ${name}: ${err.type ?? err.name}: ${err.message}\n`);
    return false;
  }
}

async function roundTrip(brokers) {
  const kafka = new Kafka({ clientId: "smoke", brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const topic = `smoke-${Date.now()}`;
  const groupId = `smoke-g-${Date.now()}`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let ok = true;
  ok &&= await step("admin connect + describeCluster", async () => {
    await admin.connect();
    const c = await admin.describeCluster();
    return `${c.brokers.length} broker(s), controller ${c.controller}`;
  });
  ok &&= await step("admin createTopics (3 partitions)", async () => {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
  });
  ok &&= await step("idempotent producer, acks=all, 100 keyed messages", async () => {
    await producer.connect();
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }));
    const res = await producer.send({ topic, acks: -1, messages });
    return `${res.length} partition(s) acknowledged`;
  });
  ok &&= await step("consumer group join + fetch all 100 + commitOffsets", async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let n = 0;
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${n}/100 consumed in 30 s`)), 30_000);
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset }) => {
            n += batch.messages.length;
            const last = batch.messages[batch.messages.length - 1];
            resolveOffset(last.offset);
            await consumer.commitOffsets([
              { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
            ]);
            if (n >= 100) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await done;
    return `${n} messages`;
  });
  ok &&= await step("admin fetchOffsets == high watermarks", async () => {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const high = await admin.fetchTopicOffsets(topic);
    for (const h of high) {
      const c = committed.partitions.find((p) => p.partition === h.partition);
      if (c?.offset !== h.high) throw new Error(`partition ${h.partition}: committed ${c?.offset}, high ${h.high}`);
    }
    return high.map((h) => `p${h.partition}=${h.high}`).join(" ");
  });
  await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  return ok;
}

async function main() {
  if (process.env.KAFKA_BROKERS) return roundTrip(process.env.KAFKA_BROKERS.split(",")[0]);
  const dataDir = mkdtempSync(join(tmpdir(), `kafka-smoke-${version}-`));
  let broker;
  try {
    broker = await startBroker({ dataDir, version, log: progress });
    process.stdout.write(`Kafka ${version} at ${broker.brokers} (started in ${broker.startMs} ms)\n`);
    return await roundTrip(broker.brokers);
  } finally {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    process.stderr.write(err instanceof MissingToolError ? `${err.message}\n` : `[kafka] ${err.stack ?? err}\n`);
    process.exit(1);
  },
);
