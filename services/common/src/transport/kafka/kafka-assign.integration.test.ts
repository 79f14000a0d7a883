/**
 * Commit metadata across an assignment, against a real broker (no mocks): what
 * one group member commits with its offsets (CommitPoint.metadata) reaches the
 * next owner of each partition through onAssign, before its first batch of
 * that partition: a new member after the first one stopped, a member that
 * joins (a rebalance moves partitions to it), and the same member after its
 * client restarts (the broker restarted under it).
 *
 * Uses KAFKA_BROKERS when set; otherwise starts a single-node broker from
 * scripts/kafka/broker-lib.mjs in a temporary data dir, as kafka.integration.test.ts does.
 *
 *   npx tsc -b services/common && node --test services/common/dist/transport/kafka/kafka-assign.integration.test.js
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
import type { AssignedPartition, Delivery, OutboundMessage, RevokeReason } from "../transport.js";
import { kafkaConfig, type KafkaTransportConfig } from "./config.js";
import { KafkaConsumer } from "./consumer.js";
import { KafkaProducer } from "./producer.js";
import { decodeWatermarks, encodeWatermarks } from "./watermark-metadata.js";

interface BrokerHandle {
  brokers: string;
  stop(): Promise<string>;
  restart(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));
const KEYS = 30;

let brokers = "";
let broker: BrokerHandle | undefined;
let dataDir: string | undefined;
let unavailable: string | undefined;

const log: Logger = createLogger(
  { test: "kafka-assign-integration" },
  { level: "warn", sink: (l) => process.stderr.write(l + "\n") },
);
const report = (line: string): void => void process.stdout.write(`# kafka-assign: ${line}\n`);

before(async () => {
  if (process.env.KAFKA_BROKERS) {
    brokers = process.env.KAFKA_BROKERS;
    return;
  }
  const lib = (await import(pathToFileURL(join(REPO_ROOT, "scripts/kafka/broker-lib.mjs")).href)) as {
    startBroker(o: object): Promise<BrokerHandle>;
  };
  dataDir = mkdtempSync(join(tmpdir(), "kafka-assign-it-"));
  try {
    broker = await lib.startBroker({ dataDir, log: (l: string) => process.stderr.write(`[kafka] ${l}\n`) });
  } catch (err) {
    unavailable = `no Kafka broker: ${(err as Error).message.split("\n")[0]}`;
    report(unavailable);
    return;
  }
  brokers = broker.brokers;
});

after(async () => {
  await broker?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const uid = (): string => `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const cfg = (overrides: Partial<KafkaTransportConfig> = {}): KafkaTransportConfig =>
  kafkaConfig([brokers], { clientId: "it-assign", ...overrides });

/** Message i: key k-(i mod 30), value its number; 30 keys cover the 3 partitions. */
const message = (i: number): OutboundMessage => ({ key: `k-${i % KEYS}`, value: Buffer.from(String(i)) });

async function publish(topic: string, from: number, count: number): Promise<void> {
  const producer = new KafkaProducer(cfg(), log);
  await producer.start();
  await producer.ensureTopics([topic]);
  await producer.publish(
    topic,
    Array.from({ length: count }, (_, i) => message(from + i)),
  );
  await producer.stop();
}

async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await sleep(20);
  }
}

async function withAdmin<T>(fn: (admin: ReturnType<InstanceType<typeof Kafka>["admin"]>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: [brokers], clientId: "it-assign-admin", logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Committed offset and metadata per partition, straight from the broker. */
const committedOnBroker = (
  groupId: string,
  topic: string,
): Promise<Map<number, { offset: string; metadata: string | null }>> =>
  withAdmin(async (admin) => {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((t?.partitions ?? []).map((p) => [p.partition, { offset: p.offset, metadata: p.metadata }]));
  });

const highWatermarks = (topic: string): Promise<Map<number, string>> =>
  withAdmin(async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high])));

type Event =
  | { kind: "assign"; assigned: readonly AssignedPartition[] }
  | { kind: "revoke"; reason: RevokeReason }
  | { kind: "batch"; partition: number; first: string; last: string; size: number };

/**
 * A group member that records, in order, its assignments and batches, and commits
 * each batch with metadata naming the member, the partition and the offset:
 * watermarks of the partition's keys, as the sink runtime will commit them.
 */
class Member {
  readonly events: Event[] = [];
  readonly consumer: KafkaConsumer;
  /** The metadata of this member's last successful commit, per partition. */
  readonly lastCommit = new Map<number, { offset: string; metadata: string }>();
  received = 0;

  constructor(
    readonly name: string,
    groupId: string,
    overrides: Partial<KafkaTransportConfig> = {},
  ) {
    this.consumer = new KafkaConsumer(cfg({ groupId, clientId: `it-${name}`, ...overrides }), log);
    this.consumer.onAssign(async (assigned) => {
      this.events.push({ kind: "assign", assigned });
    });
    this.consumer.onRevoke(async (reason) => {
      this.events.push({ kind: "revoke", reason });
    });
  }

  async start(topic: string): Promise<void> {
    await this.consumer.start(topic, async (batch: readonly Delivery[]) => {
      const first = batch[0]!;
      const last = batch[batch.length - 1]!;
      this.events.push({
        kind: "batch",
        partition: first.partition,
        first: first.offset,
        last: last.offset,
        size: batch.length,
      });
      this.received += batch.length;
      const offset = (BigInt(last.offset) + 1n).toString();
      const watermarks = new Map(batch.map((d) => [d.key!, Number(d.value.toString())]));
      watermarks.set(`${this.name}@${first.partition}`, Number(offset));
      const metadata = encodeWatermarks(watermarks);
      await this.consumer.commit([{ topic: first.topic, partition: first.partition, offset, metadata }]);
      this.lastCommit.set(first.partition, { offset, metadata });
    });
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  assigns(): Array<readonly AssignedPartition[]> {
    return this.events.flatMap((e) => (e.kind === "assign" ? [e.assigned] : []));
  }

  /** The partitions of the latest assignment. */
  owned(): number[] {
    const a = this.assigns();
    return a.length === 0 ? [] : a[a.length - 1]!.map((p) => p.partition);
  }

  /** The reasons of the revocations, in order. */
  revokes(): RevokeReason[] {
    return this.events.flatMap((e) => (e.kind === "revoke" ? [e.reason] : []));
  }

  /**
   * Every batch came after an assignment that listed its partition, with no
   * revocation since, and every assignment but the first after a revocation.
   */
  checkOrder(): void {
    let current = new Set<number>();
    let first = true;
    let revoked = false;
    for (const e of this.events) {
      if (e.kind === "revoke") {
        current = new Set();
        revoked = true;
      } else if (e.kind === "assign") {
        assert.ok(first || revoked, `${this.name}: an assignment without a revocation before it`);
        current = new Set(e.assigned.map((p) => p.partition));
        first = false;
        revoked = false;
      } else {
        assert.ok(!first, `${this.name}: a batch of partition ${e.partition} before any onAssign`);
        assert.ok(current.has(e.partition), `${this.name}: a batch of partition ${e.partition}, not assigned`);
      }
    }
  }
}

test(
  "the next member of the group gets the metadata committed last, in onAssign, before its first batch",
  { timeout: 120_000 },
  async () => {
    if (unavailable) assert.fail(unavailable);
    const topic = `it-assign-${uid()}`;
    const groupId = `g-${topic}`;
    await publish(topic, 0, 300);

    const a = new Member("a", groupId);
    await a.start(topic);
    await until(
      () => a.received >= 300,
      60_000,
      () => `a got ${a.received}/300`,
    );
    a.checkOrder();
    assert.deepEqual(
      a.assigns()[0],
      [0, 1, 2].map((partition) => ({ partition, offset: null, metadata: null })),
      "a fresh group: nothing committed",
    );
    await a.stop();
    assert.equal(a.lastCommit.size, 3, "a read and committed every partition");
    const onBroker = await committedOnBroker(groupId, topic);
    for (const [p, c] of a.lastCommit)
      assert.deepEqual(onBroker.get(p), c, `partition ${p}: metadata kept by the broker`);

    await publish(topic, 300, 300);
    const b = new Member("b", groupId);
    await b.start(topic);
    await until(
      () => b.received >= 300,
      60_000,
      () => `b got ${b.received}/300`,
    );
    await b.stop();
    b.checkOrder();
    assert.equal(b.events[0]!.kind, "assign", "onAssign before anything else");
    assert.deepEqual(
      b.assigns()[0],
      [0, 1, 2].map((partition) => ({ partition, ...a.lastCommit.get(partition)! })),
      "b starts from a's last commits, metadata included",
    );
    const seeded = decodeWatermarks(b.assigns()[0]![0]!.metadata);
    assert.equal(seeded.get("a@0"), Number(a.lastCommit.get(0)!.offset), "the watermarks decode on the other side");
    for (const e of b.events)
      if (
        e.kind === "batch" &&
        b.events.findIndex((x) => x.kind === "batch" && x.partition === e.partition) === b.events.indexOf(e)
      )
        assert.equal(
          e.first,
          a.lastCommit.get(e.partition)!.offset,
          `partition ${e.partition}: b resumes at a's commit`,
        );
    report(`b's onAssign carried a's metadata for 3 partitions before b's first of ${b.events.length - 1} batches`);
  },
);

test(
  "a rebalance hands the moved partitions' metadata to the new owner before its first batch of them",
  { timeout: 150_000 },
  async () => {
    if (unavailable) assert.fail(unavailable);
    const topic = `it-rebalance-${uid()}`;
    const groupId = `g-${topic}`;
    await publish(topic, 0, 300);

    const a = new Member("a", groupId);
    await a.start(topic);
    await until(
      () => a.received >= 300,
      60_000,
      () => `a got ${a.received}/300`,
    );
    // Everything a read is committed before b comes.
    const high = await highWatermarks(topic);
    await until(
      () => [...high].every(([p, h]) => a.lastCommit.get(p)?.offset === h),
      30_000,
      () => `a's commits ${JSON.stringify([...a.lastCommit])} vs high ${JSON.stringify([...high])}`,
    );
    const aCommits = new Map(a.lastCommit);

    const b = new Member("b", groupId);
    await b.start(topic);
    // The rebalance: a gives up what b gets; together they hold the three partitions.
    await until(
      () => {
        const ao = a.owned();
        const bo = b.owned();
        return a.assigns().length >= 2 && bo.length > 0 && [...ao, ...bo].sort().join() === "0,1,2";
      },
      60_000,
      () => `a owns ${a.owned()} (${a.assigns().length} assignments), b owns ${b.owned()}`,
    );
    const moved = b.owned();
    assert.ok(moved.length >= 1 && moved.length <= 2, `b got ${moved}`);
    assert.deepEqual(
      b.assigns()[b.assigns().length - 1],
      moved.map((partition) => ({ partition, ...aCommits.get(partition)! })),
      "b gets a's last metadata for the partitions it takes over",
    );
    const aLatest = a.assigns()[a.assigns().length - 1]!;
    assert.deepEqual(
      aLatest,
      a.owned().map((partition) => ({ partition, ...aCommits.get(partition)! })),
      "a, after the rebalance, gets its own last commits for what it keeps",
    );

    await publish(topic, 300, 600);
    await until(
      () => a.received + b.received >= 900,
      60_000,
      () => `a got ${a.received}, b ${b.received}; expected 900 in all`,
    );
    await b.stop();
    await a.stop();
    a.checkOrder();
    b.checkOrder();
    assert.deepEqual(a.revokes(), ["rebalance", "stop"], "a gave its partitions back once for b, then at stop");
    const bBatches = b.events.filter((e) => e.kind === "batch");
    assert.ok(bBatches.length > 0, "b received the new messages of its partitions");
    for (const p of moved) {
      const firstBatch = bBatches.find((e) => e.partition === p);
      assert.ok(firstBatch, `b read partition ${p}`);
      assert.equal(firstBatch.first, aCommits.get(p)!.offset, `partition ${p}: b resumes where a committed`);
    }
    report(`rebalance: b took partitions ${moved} with a's metadata before its first batch of them`);
  },
);

test(
  "after its client restarts (the broker restarted), a member gets its last commits again before the next batch",
  { timeout: 240_000 },
  async (t) => {
    if (unavailable) assert.fail(unavailable);
    if (!broker) return t.skip("KAFKA_BROKERS points at an external broker; this test must restart the broker itself");
    const topic = `it-assign-restart-${uid()}`;
    const groupId = `g-${topic}`;
    await publish(topic, 0, 90);
    // Few quick retries, so that kafkajs gives up and restarts the client while the broker is away.
    const a = new Member("a", groupId, { retry: { retries: 2, initialRetryTimeMs: 100, maxRetryTimeMs: 500 } });
    await a.start(topic);
    // Received is counted before a batch's commit resolves: wait for the commits themselves.
    const committed = () => [...a.lastCommit.values()].reduce((n, c) => n + Number(c.offset), 0);
    await until(
      () => committed() >= 90,
      60_000,
      () => `a got ${a.received}/90, committed ${committed()}`,
    );
    const before = a.assigns().length;
    const commits = new Map(a.lastCommit);
    await broker.restart();
    await until(
      () => a.assigns().length > before,
      120_000,
      () => `a has had ${a.assigns().length} assignments (${before} before the broker restarted)`,
    );
    assert.deepEqual(
      a.assigns()[a.assigns().length - 1],
      [0, 1, 2].map((partition) => ({ partition, ...commits.get(partition)! })),
      "after the restart: the last commits, metadata included",
    );
    await publish(topic, 90, 90);
    await until(
      () => a.received >= 180,
      60_000,
      () => `a got ${a.received}/180`,
    );
    await a.stop();
    a.checkOrder();
    assert.ok(a.revokes().includes("restart"), `the client restarted: revocations ${a.revokes()}`);
    report(`client restart: ${a.assigns().length - before} new assignment(s) carried the last commits`);
  },
);

test(
  "metadata over the broker's limit: the commit rejects and changes nothing, the consumer goes on",
  { timeout: 60_000 },
  async () => {
    if (unavailable) assert.fail(unavailable);
    const topic = `it-assign-big-${uid()}`;
    const groupId = `g-${topic}`;
    await publish(topic, 0, 30);
    const c = new KafkaConsumer(cfg({ groupId }), log);
    const outcomes: string[] = [];
    let afterRejection: { offset: string; metadata: string | null } | undefined;
    let got = 0;
    await c.start(topic, async (batch) => {
      const first = batch[0]!;
      const at = (n: number, metadata?: string) => ({
        topic,
        partition: first.partition,
        offset: String(Number(first.offset) + n),
        ...(metadata === undefined ? {} : { metadata }),
      });
      if (first.partition === 0 && outcomes.length === 0) {
        await c.commit([at(1, "small")]);
        await c.commit([at(2, "x".repeat(4097))]).then(
          () => outcomes.push("accepted"),
          (err: Error) => outcomes.push(err.message),
        );
        afterRejection = (await committedOnBroker(groupId, topic)).get(0);
        await c.commit([at(2, encodeWatermarks(new Map([["k", 1]])))]);
        await c.commit([at(3)]);
      }
      got += batch.length;
    });
    await until(
      () => got >= 30 && outcomes.length > 0,
      30_000,
      () => `got ${got}/30, outcomes ${outcomes}`,
    );
    assert.match(outcomes[0]!, /metadata field of the offset request was too large/);
    assert.deepEqual(afterRejection, { offset: "1", metadata: "small" }, "the rejected commit changed nothing");
    const onBroker = await committedOnBroker(groupId, topic);
    assert.equal(onBroker.get(0)?.offset, "3", "later commits went through");
    assert.equal(onBroker.get(0)?.metadata, null, "a commit without metadata leaves none");
    await c.stop();
    report(`4097 bytes of metadata: "${outcomes[0]}"`);
  },
);
