/**
 * The twitter-processor over a REAL Kafka broker: crash mid-stream (the
 * processor is dropped without stop: no flush, no commit), restart in the same
 * consumer group over the same file, and the file must equal an uninterrupted
 * run's. Uses KAFKA_BROKERS when set; otherwise starts a broker from
 * scripts/kafka/broker-lib.mjs (needs java; mvn on first use).
 *
 *   npx tsc -b services/twitter-processor && node --test services/twitter-processor/dist/kafka.integration.test.js
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type BatchHandler,
  type CommitPoint,
  type Consumer,
  createLogger,
  type RevokeReason,
} from "@cryptostream/common";
import { kafkaConsumerFromEnv, kafkaProducerFromEnv } from "@cryptostream/common/transport/kafka/index";
import { dumpFile, kafkaProcessor, mergedWindows, samplePages } from "./kafka-fakes.js";

interface BrokerHandle {
  brokers: string;
  stop(): Promise<string>;
}

// Compiled to services/twitter-processor/test/dist/.
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const log = createLogger({ test: "twitter-kafka" }, { level: "warn", sink: (l) => process.stderr.write(l + "\n") });
const report = (line: string): void => {
  process.stdout.write(`twitter kafka: ${line}\n`);
};

let brokers = "";
let broker: BrokerHandle | undefined;
let dataDir: string | undefined;
let unavailable: string | undefined;

before(async () => {
  if (process.env.KAFKA_BROKERS) {
    brokers = process.env.KAFKA_BROKERS;
    return;
  }
  const lib = (await import(pathToFileURL(path.join(REPO_ROOT, "scripts/kafka/broker-lib.mjs")).href)) as {
    startBroker(o: object): Promise<BrokerHandle>;
  };
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-twp-"));
  const t0 = Date.now();
  try {
    broker = await lib.startBroker({ dataDir, log: (l: string) => process.stderr.write(`[kafka] ${l}\n`) });
  } catch (err) {
    unavailable = `no Kafka broker: ${(err as Error).message.split("\n")[0]}`;
    report(unavailable);
    return;
  }
  brokers = broker.brokers;
  report(`broker up at ${brokers} in ${Date.now() - t0} ms`);
});

after(async () => {
  await broker?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Wraps the real consumer; `crash()` makes the processor vanish like a kill -9 (no revoke, no commit). */
class Crashable implements Consumer {
  done = -1n;
  readonly commits: CommitPoint[][] = [];
  private crashed = false;
  constructor(private readonly inner: Consumer) {}
  start(topic: string, handler: BatchHandler): Promise<void> {
    return this.inner.start(topic, async (batch) => {
      if (this.crashed) return;
      await handler(batch);
      const last = BigInt(batch[batch.length - 1]!.offset);
      if (last > this.done) this.done = last;
    });
  }
  async commit(points: readonly CommitPoint[]): Promise<void> {
    if (this.crashed) throw new Error("crashed");
    await this.inner.commit(points);
    this.commits.push([...points]);
  }
  get replays(): boolean {
    return this.inner.replays;
  }
  onRevoke(cb: (reason: RevokeReason) => Promise<void>): void {
    this.inner.onRevoke?.((reason) => (this.crashed ? Promise.resolve() : cb(reason)));
  }
  pause(): void {
    this.inner.pause();
  }
  resume(): void {
    this.inner.resume();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  async crash(): Promise<void> {
    this.crashed = true;
    await this.inner.stop();
  }
}

async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await sleep(20);
  }
}

test(
  "real broker: crash mid-stream, restart, replay: the file equals an uninterrupted run's",
  { timeout: 240_000 },
  async (t) => {
    if (unavailable) assert.fail(unavailable); // npm test must fail, naming what is missing (Java 17, Maven)
    const topic = `twitter-it-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
    // One partition: the windows depend on arrival order, which Kafka keeps only within a partition.
    const env = (group: string): NodeJS.ProcessEnv => ({
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PARTITIONS: "1",
      KAFKA_GROUP_ID: group,
      KAFKA_CLIENT_ID: "twitter-it",
    });
    const pages = samplePages();
    const half = 14;
    const producer = kafkaProducerFromEnv(env("unused"), log);
    await producer.start();
    await producer.publish(
      topic,
      pages.slice(0, half).map((value) => ({ value })),
    );

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-kafka-it-"));
    const crashFile = path.join(dir, "crash.h5");
    const refFile = path.join(dir, "ref.h5");
    const consumerFor = (group: string) => new Crashable(kafkaConsumerFromEnv(env(group), log, group));

    // Run 1: consume the first half, then die without stop.
    const c1 = consumerFor(`${topic}-crash`);
    await kafkaProcessor(crashFile, c1, { topic });
    await until(
      () => c1.done >= BigInt(half - 1),
      60_000,
      () => `run 1 processed up to ${c1.done}`,
    );
    await c1.crash();
    const committed = BigInt(c1.commits.at(-1)?.[0]?.offset ?? "0");
    const rowsBefore = (await dumpFile(crashFile)).tweets.get("id")!.length;
    report(`crashed after offset ${c1.done} with ${rowsBefore} tweets stored; committed offset ${committed}`);
    assert.ok(committed <= BigInt(half - 1), "tweets of open windows are not committed");

    await producer.publish(
      topic,
      pages.slice(half).map((value) => ({ value })),
    );
    await producer.stop();

    // Run 2: a new instance over the same file, same group: Kafka replays from the commit.
    const c2 = consumerFor(`${topic}-crash`);
    const second = await kafkaProcessor(crashFile, c2, { topic });
    await until(
      () => c2.done >= BigInt(pages.length - 1),
      60_000,
      () => `run 2 processed up to ${c2.done}`,
    );
    await second.p.stop();

    // Uninterrupted reference: another group reads the whole topic once.
    const c3 = consumerFor(`${topic}-ref`);
    const ref = await kafkaProcessor(refFile, c3, { topic });
    await until(
      () => c3.done >= BigInt(pages.length - 1),
      60_000,
      () => `reference processed up to ${c3.done}`,
    );
    await ref.p.stop();

    const got = await dumpFile(crashFile);
    const want = await dumpFile(refFile);
    assert.ok(want.tweets.get("id")!.length > 60, "the reference stored the stream");
    assert.ok(rowsBefore > 0 && rowsBefore < want.tweets.get("id")!.length, "the crash came mid-stream");
    assert.deepEqual(got.tweets.get("id"), want.tweets.get("id"), "/tweets ids");
    assert.deepEqual(got.tweets.get("text"), want.tweets.get("text"), "/tweets texts");
    assert.deepEqual(got.tweets, want.tweets, "/tweets, every column");
    assert.deepEqual(got.heap, want.heap, "/text_heap");
    assert.deepEqual(got.sentiment, want.sentiment, "/sentiment rows");
    report(
      `equal: ${want.tweets.get("id")!.length} tweets, ${mergedWindows(want).size} windows; run 2 dropped ${second.metrics.replayed.total()} replayed tweets`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
