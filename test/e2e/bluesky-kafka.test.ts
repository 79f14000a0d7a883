/**
 * End to end over Kafka for Bluesky: the same scenario as bluesky-zmq (a
 * dropped connection, a producer restart, deletes) with TRANSPORT=kafka
 * against a real broker on loopback (KAFKA_BROKERS, when set, names one).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { requirePythonModule } from "../support/python.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { uniqueName } from "../support/kafka-admin.js";
import { runScenario } from "../support/bluesky-e2e.js";
import { settled } from "../support/twitter-kafka.js";

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
  "every matching post lands once with its exact text over Kafka, across a dropped connection and a producer restart",
  { timeout: 180_000 },
  async () => {
    const topic = uniqueName("bluesky");
    const group = uniqueName("bluesky-group");
    const r = await runScenario({
      dir,
      name: "kafka",
      seed: 23,
      transportEnv: { TRANSPORT: "kafka", KAFKA_BROKERS: broker.brokers, TWITTER_TOPIC: topic },
      processorEnv: { KAFKA_GROUP_ID: group, KAFKA_SESSION_TIMEOUT_MS: "6000" },
      // ZMQ_BIND / ZMQ_CONNECT are not read with TRANSPORT=kafka.
      endpoint: "tcp://127.0.0.1:9",
      processorReady: (p) => p.waitForLog((l) => l.msg === "joined Kafka consumer group", 30_000),
      beforeProcessorStop: (p) => settled(p, broker.brokers, group, topic),
    });
    assert.ok(r.check.tweets > 50);
    assert.equal(r.check.sentiment_total, r.check.on_time);
    assert.ok(r.check.on_time > 0, "windows closed and written before the stop");
    console.log(`# bluesky kafka run: ${JSON.stringify({ ...r, check: { ...r.check, problems: undefined } })}`);
  },
);
