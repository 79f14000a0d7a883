/**
 * End to end over Kafka for Bluesky: the same scenario as bluesky-zmq (a
 * dropped connection, a producer restart, deletes) with TRANSPORT=kafka
 * against a real broker on loopback (KAFKA_BROKERS, when set, names one);
 * then a processor of a new consumer group replays the whole topic into the
 * same file: every post, window and delete is recognised as already written.
 * And the broker stopped for 10 s while posts keep coming: the producer holds
 * them (its cursor waits), the processor says on /healthz that the broker is
 * away and its wall clock closes no window meanwhile, and afterwards every
 * matching post is in the file once, none late for its window.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { requirePythonModule } from "../support/python.js";
import { sleep } from "../support/service-process.js";
import { storeSize } from "../support/store.js";
import { startJetstreamSimulator } from "@cryptostream/jetstream-simulator/simulator";
import { skippedForExternalBroker, startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { uniqueName } from "../support/kafka-admin.js";
import {
  deleteOutcomes,
  expectedPosts,
  type FinishedRun,
  publishedAll,
  runScenario,
  startBlueskyProducer,
} from "../support/bluesky-e2e.js";
import { startTwitterProcessor } from "../support/twitter-e2e.js";
import { checkServedFile, settled } from "../support/twitter-kafka.js";

let dir: string;
let broker: TestBroker;
before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-bluesky-kafka-"));
  const t0 = Date.now();
  broker = await startTestBroker("bluesky");
  console.log(`# Kafka broker ${broker.brokers} ready in ${Date.now() - t0} ms`);
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  "every matching post lands once with its exact text over Kafka, across a dropped connection, a producer restart and a processor restart",
  { timeout: 180_000 },
  async () => {
    const topic = uniqueName("bluesky");
    const group = uniqueName("bluesky-group");
    const transportEnv = { TRANSPORT: "kafka", KAFKA_BROKERS: broker.brokers, TWITTER_TOPIC: topic };
    let replay: Record<string, unknown> = {};
    // Kafka delivers the deletes again: the file must come out the same.
    const replayWholeTopic = async (run: FinishedRun) => {
      const again = uniqueName("bluesky-replay");
      const before = storeSize(run.h5);
      const p = startTwitterProcessor("tcp://127.0.0.1:9", run.h5, { ...transportEnv, KAFKA_GROUP_ID: again });
      try {
        await p.waitForLog((l) => l.msg === "joined Kafka consumer group", 30_000);
        await settled(p, broker.brokers, again, topic);
        const outcomes = await deleteOutcomes(p);
        const replayed = await p.metric("pipeline_replayed_total");
        assert.equal(await p.stop("SIGTERM"), 0);
        const c = checkServedFile(dir, run.h5, run.matching, "kafka-replay", run.deleted);
        assert.equal(c.tweets, run.check.tweets);
        assert.deepEqual(c.sentiment_by_source, run.check.sentiment_by_source, "no window counted twice");
        assert.equal(c.deletes_rows, run.deleted.length, "no delete recorded twice");
        assert.equal(outcomes.repeat, run.deleted.length, "every replayed delete was known as applied");
        assert.equal(outcomes.pending! + outcomes.stored!, 0);
        assert.ok(replayed >= run.check.tweets, `replayed posts were recognised (${replayed})`);
        replay = { outcomes, replayed, sizeBefore: before, sizeAfter: storeSize(run.h5) };
      } finally {
        await p.stop("SIGKILL");
      }
    };
    const r = await runScenario({
      dir,
      name: "kafka",
      seed: 23,
      transportEnv,
      processorEnv: { KAFKA_GROUP_ID: group, KAFKA_SESSION_TIMEOUT_MS: "6000" },
      // ZMQ_BIND / ZMQ_CONNECT are not read with TRANSPORT=kafka.
      endpoint: "tcp://127.0.0.1:9",
      processorReady: (p) => p.waitForLog((l) => l.msg === "joined Kafka consumer group", 30_000),
      beforeProcessorStop: (p) => settled(p, broker.brokers, group, topic),
      afterCheck: replayWholeTopic,
    });
    assert.ok(r.check.tweets > 50);
    assert.equal(r.check.sentiment_total, r.check.on_time);
    assert.ok(r.check.on_time > 0, "windows closed and written before the stop");
    console.log(`# bluesky kafka run: ${JSON.stringify({ ...r, check: { ...r.check, problems: undefined }, replay })}`);
  },
);

test(
  "the broker stopped for 10 s while posts keep coming: afterwards every matching post lands once",
  { timeout: 180_000 },
  async (t) => {
    if (skippedForExternalBroker(t, broker)) return;
    const topic = uniqueName("bluesky-outage");
    const group = uniqueName("bluesky-outage-group");
    const transportEnv = { TRANSPORT: "kafka", KAFKA_BROKERS: broker.brokers, TWITTER_TOPIC: topic };
    const h5 = path.join(dir, "outage.h5");
    const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 0, seed: 31 });
    const processor = startTwitterProcessor("tcp://127.0.0.1:9", h5, {
      ...transportEnv,
      KAFKA_GROUP_ID: group,
      KAFKA_SESSION_TIMEOUT_MS: "6000",
    });
    const producer = startBlueskyProducer(
      sim.url,
      "tcp://127.0.0.1:9",
      path.join(dir, "outage-state.json"),
      transportEnv,
    );
    try {
      await processor.waitForLog((l) => l.msg === "joined Kafka consumer group", 30_000);
      await producer.waitForLog((l) => l.msg === "connected");
      const stepFor = async (ms: number) => {
        for (const end = Date.now() + ms; Date.now() < end; ) {
          sim.generate(20);
          await sleep(100);
        }
      };
      await stepFor(2_000);
      const t0 = Date.now();
      await broker.stopForRestart();
      let maxPending = 0;
      let processorAway: unknown;
      for (const end = t0 + 10_000; Date.now() < end; ) {
        sim.generate(20);
        const pending = ((await producer.health()).body as { pending?: number }).pending ?? 0;
        maxPending = Math.max(maxPending, pending);
        const h = await processor.health();
        const transport = (h.body as { transport?: { state?: string } }).transport;
        if (transport?.state === "reconnecting") processorAway ??= { status: h.status, transport };
        await sleep(100);
      }
      await broker.start();
      const outageMs = Date.now() - t0;
      await stepFor(2_000);
      await publishedAll(sim, producer);
      await settled(processor, broker.brokers, group, topic, 90_000);
      const { matching, other, deleted } = expectedPosts(sim);
      const retries = producer.logs.filter((l) => l.msg === "publish failed; retrying").length;
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await processor.stop("SIGTERM"), 0);
      const c = checkServedFile(dir, h5, matching, "outage", deleted);
      console.log(
        `# bluesky broker down 10 s (kafka): ${JSON.stringify({
          outageMs,
          brokerStartMs: broker.startMs(),
          matching: matching.length,
          other,
          maxPending,
          publishRetries: retries,
          processorAway,
          tweets: c.tweets,
          onTime: c.on_time,
          late: c.late,
          deleted: deleted.length,
          problems: c.problems.length,
        })}`,
      );
      assert.deepEqual(c.problems, [], "every matching post once, exact texts, /sentiment as computed");
      assert.equal(c.tweets, matching.length);
      // The processor's wall clock waited for the broker (SINK_TRANSPORT_HOLD_SECONDS): what the producer held is on time.
      assert.equal(c.late, 0, "no post is late for its window");
      assert.equal(c.sentiment_total, c.on_time, "/sentiment counts every post");
      assert.equal(c.deleted_blank, deleted.length, "deletes during the outage were applied too");
      assert.ok(maxPending > 0, "posts waited in the producer while the broker was away");
      assert.ok(processorAway, "the processor's /healthz said the broker was away");
      assert.equal((processorAway as { status: number }).status, 503);
    } finally {
      await producer.stop("SIGKILL");
      await processor.stop("SIGKILL");
      await sim.stop();
    }
  },
);
