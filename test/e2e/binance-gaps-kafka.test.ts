/**
 * Issue 11, "Done when", over Kafka: the aggTrade run of binance-gaps-zmq.test.ts (5 reset
 * drops, 2 serverShutdowns, 2 age roll-overs, 1 s klines) with a real Kafka broker between the
 * real producer and processor. Symbols are keys, so each symbol's trades, markers and klines
 * keep their order across partitions; every row must still equal pandas on the simulator's
 * trade history, and /gaps hold one filled marker per drop per symbol.
 */
import { after, before, test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { kafkaEnv } from "../support/binance-kafka.js";
import { aggTradeFaultRun } from "../support/binance-gaps-run.js";
import { uniqueName } from "../support/kafka-admin.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";

let dir: string;
let broker: TestBroker;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-gaps-kafka-"));
  broker = await startTestBroker("gaps");
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  "aggTrade over Kafka: 5 drops, 2 serverShutdowns, 2 age roll-overs; every row equals pandas on the simulator's trades",
  { timeout: 120_000 },
  async () => {
    const topic = uniqueName("gaps");
    const env = kafkaEnv(broker.brokers, topic);
    const r = await aggTradeFaultRun(
      fs.mkdtempSync(path.join(dir, "aggtrade-")),
      {
        processor: { ...env, KAFKA_GROUP_ID: uniqueName("proc-gaps"), BINANCE_FLUSH_SECONDS: "1" },
        producer: env,
        processorReady: "joined Kafka consumer group",
      },
      true, // a stop leaves the open windows in the log
    );
    console.log(JSON.stringify(r));
  },
);
