/**
 * Kafka transport against a real broker (no mocks).
 *
 * Uses KAFKA_BROKERS when set; otherwise starts a single-node broker from
 * scripts/kafka/broker-lib.mjs in a temporary data dir (first run downloads the
 * jars with Maven, about a minute). Timing numbers go to stdout.
 *
 *   npx tsc -b services/common && node --test services/common/dist/transport/kafka/kafka.integration.test.js
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Kafka, logLevel } from "./kafkajs.js";
import { createLogger, type Logger } from "../../log/logger.js";
import type { CommitPoint, Delivery, OutboundMessage } from "../transport.js";
import { kafkaConfig, type KafkaTransportConfig } from "./config.js";
import { KafkaConsumer } from "./consumer.js";
import { KafkaProducer } from "./producer.js";

interface BrokerHandle {
  brokers: string;
  pid: number;
  startMs: number;
  stop(): Promise<string>;
  restart(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));
const TOTAL = 10_000;
const KEYS = 50;

let brokers = "";
let broker: BrokerHandle | undefined;
let dataDir: string | undefined;
let unavailable: string | undefined;

// kafkajs's own logs (connection errors while the broker restarts) go to stderr as JSON, away from the numbers.
const log: Logger = createLogger(
  { test: "kafka-integration" },
  { level: "warn", sink: (l) => process.stderr.write(l + "\n") },
);

const report = (line: string): void => {
  process.stdout.write(`# kafka: ${line}\n`);
};

before(async () => {
  if (process.env.KAFKA_BROKERS) {
    brokers = process.env.KAFKA_BROKERS;
    report(`using KAFKA_BROKERS=${brokers}`);
    return;
  }
  const lib = (await import(pathToFileURL(join(REPO_ROOT, "scripts/kafka/broker-lib.mjs")).href)) as {
    startBroker(o: object): Promise<BrokerHandle>;
    KAFKA_VERSION: string;
  };
  dataDir = mkdtempSync(join(tmpdir(), "kafka-it-"));
  const t0 = Date.now();
  try {
    broker = await lib.startBroker({ dataDir, log: (l: string) => process.stderr.write(`[kafka] ${l}\n`) });
  } catch (err) {
    unavailable = `no Kafka broker: ${(err as Error).message.split("\n")[0]}`;
    report(unavailable);
    return;
  }
  brokers = broker.brokers;
  report(
    `started Kafka ${lib.KAFKA_VERSION} at ${brokers} in ${Date.now() - t0} ms (JVM to first describeCluster: ${broker.startMs} ms)`,
  );
});

after(async () => {
  await broker?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const uid = (): string => `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

function cfg(overrides: Partial<KafkaTransportConfig> = {}): KafkaTransportConfig {
  return kafkaConfig([brokers], { clientId: "it", ...overrides });
}

/** Message i: key sym-(i mod 50), value JSON with the per-key sequence, padded to ~250 bytes like a ticker event. */
function message(i: number): OutboundMessage {
  const key = `sym-${i % KEYS}`;
  const body = JSON.stringify({ key, seq: Math.floor(i / KEYS), i, pad: "x".repeat(180) });
  return { key, value: Buffer.from(body) };
}

interface Body {
  key: string;
  seq: number;
  i: number;
}
const bodyOf = (d: Delivery): Body => JSON.parse(d.value.toString("utf8")) as Body;

/** Resolves when `cond()` holds, polling; rejects with `what` after `ms`. */
async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await sleep(20);
  }
}

/** Committed offsets of a group, per partition, straight from the broker. */
async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = new Kafka({ brokers: [brokers], clientId: "it-admin", logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((t?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

async function highWatermarks(topic: string): Promise<Map<number, string>> {
  const admin = new Kafka({ brokers: [brokers], clientId: "it-admin", logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

function lastPlusOne(batch: readonly Delivery[]): CommitPoint {
  const last = batch[batch.length - 1]!;
  return { topic: last.topic, partition: last.partition, offset: (BigInt(last.offset) + 1n).toString() };
}

test(
  "10,000 keyed messages: acks=all publish, group consume in order, commit, resume after restart",
  { timeout: 240_000 },
  async (t) => {
    if (unavailable) assert.fail(unavailable); // npm test must fail, naming what is missing (Java 17, Maven)
    const topic = `it-order-${uid()}`;
    const groupId = `g-${topic}`;

    // --- publish ---
    const producer = new KafkaProducer(cfg(), log);
    await producer.start();
    await producer.ensureTopics([topic]);
    const all = Array.from({ length: TOTAL }, (_, i) => message(i));
    const t0 = performance.now();
    for (let i = 0; i < TOTAL; i += 500) await producer.publish(topic, all.slice(i, i + 500));
    const pubMs = performance.now() - t0;
    report(
      `producer acks=all idempotent, 500 msgs/publish: ${TOTAL} msgs (~250 B) in ${pubMs.toFixed(0)} ms = ${Math.round(TOTAL / (pubMs / 1000))} msgs/s`,
    );
    // Latency-bound case: one awaited publish per message (what a naive producer loop does).
    const singles = `${topic}-single`;
    await producer.ensureTopics([singles]);
    const t1 = performance.now();
    for (let i = 0; i < 1000; i++) await producer.publish(singles, [message(i)]);
    const singleMs = performance.now() - t1;
    report(
      `producer acks=all, 1 msg/publish: 1000 msgs in ${singleMs.toFixed(0)} ms = ${Math.round(1000 / (singleMs / 1000))} msgs/s (${(singleMs / 1000).toFixed(2)} ms per ack)`,
    );
    await producer.stop();

    // --- consume with a group; commit only the batches that end within the first half ---
    const seen: Delivery[] = [];
    const committed = new Map<number, string>();
    const a = new KafkaConsumer(cfg({ groupId }), log);
    const tc = performance.now();
    let lastAt = 0;
    await a.start(topic, async (batch) => {
      const before = seen.length;
      seen.push(...batch);
      lastAt = performance.now();
      if (before + batch.length <= TOTAL / 2) {
        const point = lastPlusOne(batch);
        await a.commit([point]);
        committed.set(point.partition, point.offset);
      }
    });
    await until(
      () => seen.length >= TOTAL,
      60_000,
      () => `consumer A saw ${seen.length}/${TOTAL}`,
    );
    const conMs = lastAt - tc;
    report(
      `consumer (group join + fetch, eachBatch): ${TOTAL} msgs in ${conMs.toFixed(0)} ms = ${Math.round(TOTAL / (conMs / 1000))} msgs/s`,
    );
    await sleep(500); // anything extra (a duplicate) would arrive now
    await a.stop();

    assert.equal(seen.length, TOTAL, "each message delivered once to the only member");
    const byPartition = new Map<number, Delivery[]>();
    for (const d of seen) {
      const list = byPartition.get(d.partition) ?? [];
      list.push(d);
      byPartition.set(d.partition, list);
    }
    assert.equal(byPartition.size, 3, "3 partitions by default");
    const keyPartition = new Map<string, number>();
    const nextSeq = new Map<string, number>();
    for (const [p, ds] of byPartition) {
      ds.forEach((d, n) => assert.equal(d.offset, String(n), `partition ${p}: offsets consecutive from 0`));
      for (const d of ds) {
        const b = bodyOf(d);
        assert.equal(d.key, b.key, "key survives the round trip");
        assert.equal(d.topic, topic);
        assert.equal(keyPartition.get(b.key) ?? p, p, `key ${b.key} stays on one partition`);
        keyPartition.set(b.key, p);
        assert.equal(b.seq, nextSeq.get(b.key) ?? 0, `key ${b.key}: per-key order kept`);
        nextSeq.set(b.key, b.seq + 1);
      }
    }
    assert.equal(keyPartition.size, KEYS);
    assert.ok(
      [...nextSeq.values()].every((n) => n === TOTAL / KEYS),
      "every key complete",
    );

    // --- the broker holds exactly what we committed ---
    const broker1 = await committedOffsets(groupId, topic);
    const committedTotal = [...committed.values()].reduce((n, o) => n + Number(o), 0);
    assert.ok(committedTotal > 0 && committedTotal <= TOTAL / 2, `committed ${committedTotal}`);
    for (const [p, hw] of await highWatermarks(topic)) {
      assert.equal(
        broker1.get(p),
        committed.get(p) ?? "-1",
        `partition ${p} committed offset on the broker (high ${hw})`,
      );
    }

    // --- a new member of the same group resumes exactly after the commits ---
    const resumed: Delivery[] = [];
    const b = new KafkaConsumer(cfg({ groupId }), log);
    // Commit everything from the revoke hook that runs before stop.
    let revokes = 0;
    b.onRevoke(async () => {
      revokes += 1;
      const last = new Map<number, CommitPoint>();
      for (const d of resumed) last.set(d.partition, lastPlusOne([d]));
      await b.commit([...last.values()]);
    });
    await b.start(topic, async (batch) => {
      resumed.push(...batch);
    });
    await until(
      () => resumed.length >= TOTAL - committedTotal,
      60_000,
      () => `consumer B saw ${resumed.length}/${TOTAL - committedTotal}`,
    );
    await sleep(500);
    await b.stop();
    assert.equal(resumed.length, TOTAL - committedTotal, "nothing before the commit point is delivered again");
    for (const p of [0, 1, 2]) {
      const first = resumed.find((d) => d.partition === p);
      const expected = committed.get(p) ?? "0";
      if (first) assert.equal(first.offset, expected, `partition ${p} resumes at the committed offset`);
    }
    assert.equal(revokes, 1, "onRevoke ran once, before stop");
    const final = await committedOffsets(groupId, topic);
    for (const [p, hw] of await highWatermarks(topic))
      assert.equal(final.get(p), hw, `partition ${p} fully committed via onRevoke`);
    report(
      `resume: first consumer committed ${committedTotal}, second consumer got the other ${resumed.length}, and committed to the end`,
    );
  },
);

test(
  "a batch longer than the session timeout keeps the group membership (heartbeats)",
  { timeout: 120_000 },
  async (t) => {
    if (unavailable) assert.fail(unavailable); // npm test must fail, naming what is missing (Java 17, Maven)
    const topic = `it-slow-${uid()}`;
    const joins: string[] = [];
    const watchLog = createLogger(
      {},
      { level: "info", sink: (l) => (l.includes("joined Kafka consumer group") ? joins.push(l) : undefined) },
    );
    const producer = new KafkaProducer(cfg(), log);
    await producer.start();
    await producer.publish(
      topic,
      Array.from({ length: 30 }, (_, i) => message(i)),
    );
    await producer.stop();

    // 6 s is the broker's minimum session timeout; the first batch takes 9 s.
    const c = new KafkaConsumer(cfg({ groupId: `g-${topic}`, sessionTimeoutMs: 6_000 }), watchLog);
    let got = 0;
    let slow = true;
    await c.start(topic, async (batch) => {
      if (slow) {
        slow = false;
        await sleep(9_000);
      }
      got += batch.length;
      await c.commit([lastPlusOne(batch)]);
    });
    await until(
      () => got >= 30,
      60_000,
      () => `got ${got}/30`,
    );
    await c.stop();
    assert.equal(got, 30, "no redelivery after the slow batch");
    assert.equal(joins.length, 1, `joined once, no rebalance: ${joins.join("\n")}`);
  },
);

test("broker stopped and restarted mid-publish: no acknowledged message is lost", { timeout: 300_000 }, async (t) => {
  if (unavailable) assert.fail(unavailable); // npm test must fail, naming what is missing (Java 17, Maven)
  if (!broker) return t.skip("KAFKA_BROKERS points at an external broker; this test must restart the broker itself");
  const topic = `it-restart-${uid()}`;
  const target = 6_000;
  const batchSize = 100;
  const producer = new KafkaProducer(cfg(), log);
  await producer.start();
  await producer.ensureTopics([topic]);

  const acked = new Set<number>();
  let rejected = 0;
  let restart: Promise<void> | undefined;
  let restartMs = 0;
  let longestPublishMs = 0;
  let next = 0;
  const deadline = Date.now() + 200_000;
  while (acked.size < target) {
    if (Date.now() > deadline) throw new Error(`only ${acked.size}/${target} acknowledged before the deadline`);
    const ids = Array.from({ length: batchSize }, (_, k) => next + k);
    if (!restart && acked.size >= 1_500) {
      const r0 = Date.now();
      // Not awaited: publishing goes on while the broker shuts down and comes back.
      restart = broker.restart().then(() => {
        restartMs = Date.now() - r0;
      });
    }
    const p0 = Date.now();
    try {
      await producer.publish(topic, ids.map(message));
      ids.forEach((i) => acked.add(i));
      next += batchSize;
    } catch (err) {
      // The caller's retry after the transport's own retries ran out (may duplicate, never lose).
      rejected += 1;
      process.stderr.write(`publish rejected (${(err as Error).message}); retrying the same batch\n`);
    }
    longestPublishMs = Math.max(longestPublishMs, Date.now() - p0);
  }
  await restart;
  await producer.stop();
  assert.ok(restart, "the broker was restarted during the run");
  report(
    `restart mid-publish: broker back in ${restartMs} ms; longest publish ${longestPublishMs} ms; rejected publishes ${rejected}; acknowledged ${acked.size}`,
  );

  // Read everything back with a fresh group.
  const got = new Map<number, number>();
  let total = 0;
  const c = new KafkaConsumer(cfg({ groupId: `g-${topic}` }), log);
  const hw = [...(await highWatermarks(topic)).values()].reduce((n, o) => n + Number(o), 0);
  await c.start(topic, async (batch) => {
    for (const d of batch) {
      const i = bodyOf(d).i;
      got.set(i, (got.get(i) ?? 0) + 1);
      total += 1;
    }
  });
  await until(
    () => total >= hw,
    60_000,
    () => `read ${total}/${hw}`,
  );
  await c.stop();
  const lost = [...acked].filter((i) => !got.has(i));
  const duplicates = [...got.values()].filter((n) => n > 1).length;
  report(
    `after restart: log holds ${hw} records, ${acked.size} acknowledged ids, lost ${lost.length}, duplicated ids ${duplicates}`,
  );
  assert.deepEqual(lost.slice(0, 10), [], "every acknowledged message is in the log");
  assert.ok(acked.size >= target);
});
