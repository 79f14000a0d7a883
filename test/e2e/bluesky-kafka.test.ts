/**
 * End to end over Kafka for Bluesky: the same scenario as bluesky-zmq (a
 * dropped connection, a producer restart, deletes) with TRANSPORT=kafka
 * against a real broker on loopback (KAFKA_BROKERS, when set, names one);
 * then a processor of a new consumer group replays the whole topic into the
 * same file: every post, window and delete is recognised as already written.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { requirePythonModule } from "../support/python.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { uniqueName } from "../support/kafka-admin.js";
import { deleteOutcomes, type FinishedRun, runScenario } from "../support/bluesky-e2e.js";
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
      const before = fs.statSync(run.h5).size;
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
        replay = { outcomes, replayed, sizeBefore: before, sizeAfter: fs.statSync(run.h5).size };
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
