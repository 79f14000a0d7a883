/**
 * Outages longer than the lateness over Kafka (the run: test/support/binance-outage-run.ts):
 * the late backfilled trades' extra rows are written and committed like any other row.
 */
import { after, before, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { kafkaEnv } from "../support/binance-kafka.js";
import { outageRun } from "../support/binance-outage-run.js";
import { uniqueName } from "../support/kafka-admin.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";

let dir: string;
let broker: TestBroker;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-outage-kafka-"));
  broker = await startTestBroker("outage");
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  "outages longer than the lateness over Kafka: backfilled trades still count once; merged rows equal pandas",
  { timeout: 120_000 },
  async () => {
    const topic = uniqueName("outage");
    const env = kafkaEnv(broker.brokers, topic);
    const r = await outageRun(fs.mkdtempSync(path.join(dir, "run-")), {
      processor: { ...env, KAFKA_GROUP_ID: uniqueName("proc-outage"), BINANCE_FLUSH_SECONDS: "1" },
      producer: env,
      processorReady: "joined Kafka consumer group",
    });
    console.log(JSON.stringify(r));
  },
);
