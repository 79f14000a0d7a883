/**
 * Candles over Kafka, with a crash: the same recorded-format aggTrade input as
 * binance-candles-zmq.test.ts goes simulator -> binance-producer -> a real Kafka broker ->
 * binance-processor; the processor is killed (-9) mid-stream and restarted, so the log
 * replays from the last commit, gap markers included. The pandas reference must still find
 * every candle row, gap flag and /gaps row exact, each window and each marker written once.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { writeCandleInput } from "../support/candle-input.js";
import { kafkaEnv } from "../support/binance-kafka.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { committedTotal, groupCaughtUp, uniqueName } from "../support/kafka-admin.js";
import { requirePythonModule, runReferenceCandles } from "../support/python.js";
import { ServiceProcess, waitFor } from "../support/service-process.js";

const SYMBOLS = ["btcusdt", "ethusdt", "solusdt"];
const WINDOW_SECONDS = 10;
const LATENESS_SECONDS = 5;

let dir: string;
let broker: TestBroker;
before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  requirePythonModule("pandas", "python3-pandas");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-candles-kafka-"));
  broker = await startTestBroker("candles");
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function processor(topic: string, group: string, h5: string): ServiceProcess {
  return new ServiceProcess("binance-processor", {
    ...kafkaEnv(broker.brokers, topic),
    KAFKA_GROUP_ID: group,
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    BINANCE_H5_PATH: h5,
    BINANCE_STREAM: "aggtrade",
    BINANCE_SYMBOLS: SYMBOLS.join(","),
    BINANCE_FLUSH_SECONDS: "1",
    WINDOW_SECONDS: String(WINDOW_SECONDS),
    ALLOWED_LATENESS_SECONDS: String(LATENESS_SECONDS),
  });
}

test(
  "kill -9 and a replay from the last commit leave every candle, gap flag and /gaps row exact (Kafka)",
  { timeout: 240_000 },
  async () => {
    const input = path.join(dir, "trades.jsonl");
    const fixture = writeCandleInput(input, {
      startMs: 1_700_000_000_000,
      trades: 9_000,
      stepMs: 25,
      seed: 12,
      quiet: { ETHUSDT: [[60_000, 95_000, "gap"]], SOLUSDT: [[120_000, 155_000, "quiet"]] },
      filledGapEvery: 400,
    });
    const topic = uniqueName("candles");
    const group = uniqueName("proc-candles");
    const h5 = path.join(dir, "binance.h5");
    const procs: ServiceProcess[] = [];
    let sim: BinanceSimulator | undefined;
    try {
      const first = processor(topic, group, h5);
      procs.push(first);
      await first.waitForLog((l) => l.msg === "joined Kafka consumer group", 30_000);
      sim = await startBinanceSimulator({
        port: 0,
        symbols: SYMBOLS,
        replayFile: input,
        replayResume: true,
        replayRate: 1_000, // about 9 s: the kill comes while lines still flow
        pingIntervalMs: 1_000,
      });
      const producer = new ServiceProcess("binance-producer", {
        ...kafkaEnv(broker.brokers, topic),
        BINANCE_WS_URL: sim.url,
        BINANCE_REST_URL: sim.restUrl, // a reconnect's backfill stays on loopback
        BINANCE_STREAM: "aggtrade",
        BINANCE_SYMBOLS: SYMBOLS.join(","),
        BINANCE_RECONNECT_BASE_MS: "100",
      });
      procs.push(producer);
      await waitFor(
        "a first commit after some gap markers",
        async () =>
          (await committedTotal(broker.brokers, group, topic)) > 0 &&
          (await first.metric("pipeline_messages_in_total")) > fixture.lines.length / 3
            ? true
            : undefined,
        60_000,
      );
      await first.kill9();
      const committedAtKill = await committedTotal(broker.brokers, group, topic);
      const second = processor(topic, group, h5);
      procs.push(second);
      await waitFor("the simulator to send every line", () => sim!.stats().replay?.finished || undefined, 60_000);
      await waitFor(
        "the group to commit the whole topic (every window written)",
        async () => (await groupCaughtUp(broker.brokers, group, topic)) || undefined,
        120_000,
        250,
      );
      const replayed = await second.metric("pipeline_replayed_total");
      const badMarkers = await second.metric("pipeline_rejects_total", 'reason="bad_gap_marker"');
      assert.equal(await second.stop("SIGTERM"), 0);
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.ok(replayed > 0, "the restart replayed messages whose effect was already in the file");
      assert.equal(badMarkers, 1);

      const ref = runReferenceCandles(input, h5, {
        windowSeconds: WINDOW_SECONDS,
        latenessSeconds: LATENESS_SECONDS,
        symbols: SYMBOLS,
      });
      assert.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      console.log(
        `# candles over Kafka (committed at kill ${committedAtKill}, replayed ${replayed}): ${ref.stdout.trim()}`,
      );
      const r = JSON.parse(ref.stdout) as Record<string, number | string[]>;
      assert.deepEqual(r.problems, []);
      assert.equal(ref.status, 0);
      assert.equal(r.windows_compared, r.expected_windows);
      assert.equal(r.rows, r.expected_windows, "one row per window: the replay wrote nothing twice");
      assert.ok((r.windows_compared as number) >= 60 && (r.gaps as number) === fixture.gaps);
    } finally {
      for (const p of procs) await p.stop("SIGKILL");
      await sim?.stop();
    }
  },
);
