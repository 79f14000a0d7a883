/**
 * Candles a trader can check: a recorded-format aggTrade input (taker buys and sells,
 * multi-trade aggregates, quiet windows, gap markers, late and bad lines) is replayed by the
 * simulator through the real binance-producer, real ZeroMQ and the real binance-processor;
 * an independent pandas script (test/support/reference_candles.py) computes the candles from
 * the same input and compares every row of the file, and every /gaps row, exactly.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { writeCandleInput } from "../support/candle-input.js";
import { freePort, ServiceProcess, waitFor } from "../support/service-process.js";
import { requirePythonModule, runReferenceCandles } from "../support/python.js";

const SYMBOLS = ["btcusdt", "ethusdt", "solusdt"];
const WINDOW_SECONDS = 10;
const LATENESS_SECONDS = 5;

let dir: string;
before(() => {
  requirePythonModule("h5py", "python3-h5py");
  requirePythonModule("pandas", "python3-pandas");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-candles-"));
});
after(() => (process.env.KEEP_E2E_DIR ? console.log(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

test("every aggTrade candle row, /gaps row and gap flag equals what pandas computes from the replayed input", async () => {
  const input = path.join(dir, "trades.jsonl");
  const fixture = writeCandleInput(input, {
    startMs: 1_700_000_000_000,
    trades: 9_000,
    stepMs: 25, // 3 symbols: each trades every 75 ms, ~130 aggregates per 10 s window
    seed: 11,
    quiet: {
      ETHUSDT: [[60_000, 95_000, "gap"]], // a dropped connection: windows 70 s and 80 s lost
      SOLUSDT: [[120_000, 155_000, "quiet"]], // a quiet market: windows 130 s and 140 s without trades
    },
    filledGapEvery: 400,
  });
  const h5 = path.join(dir, "binance.h5");
  let simulator: BinanceSimulator | undefined;
  let producer: ServiceProcess | undefined;
  let processor: ServiceProcess | undefined;
  try {
    simulator = await startBinanceSimulator({
      port: 0,
      symbols: SYMBOLS,
      replayFile: input,
      replayResume: true,
      replayRate: 4_000,
      pingIntervalMs: 1_000,
    });
    const zmqPort = await freePort();
    processor = new ServiceProcess("binance-processor", {
      ZMQ_CONNECT: `tcp://127.0.0.1:${zmqPort}`,
      BINANCE_H5_PATH: h5,
      BINANCE_STREAM: "aggtrade",
      BINANCE_SYMBOLS: SYMBOLS.join(","),
      WINDOW_SECONDS: String(WINDOW_SECONDS),
      ALLOWED_LATENESS_SECONDS: String(LATENESS_SECONDS),
    });
    await processor.healthPort();
    producer = new ServiceProcess("binance-producer", {
      BINANCE_WS_URL: simulator.url,
      BINANCE_REST_URL: simulator.restUrl, // a reconnect's backfill stays on loopback
      ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
      BINANCE_STREAM: "aggtrade",
      BINANCE_SYMBOLS: SYMBOLS.join(","),
      BINANCE_RECONNECT_BASE_MS: "100",
    });
    await waitFor("the simulator to send every line", () => simulator!.stats().replay?.finished || undefined, 60_000);
    const lines = fixture.lines.length;
    await waitFor(
      "the processor to receive every line",
      async () => ((await processor!.metric("pipeline_messages_in_total")) >= lines ? true : undefined),
      30_000,
    );
    const badMarkers = await processor.metric("pipeline_rejects_total", 'reason="bad_gap_marker"');
    const badTrades = await processor.metric("pipeline_rejects_total", 'reason="non_numeric"');
    const wrongType = await processor.metric("pipeline_rejects_total", 'reason="wrong_event_type"');
    assert.equal(await processor.stop("SIGTERM"), 0);
    assert.equal(await producer.stop("SIGTERM"), 0);
    assert.equal(badMarkers, 1, "the marker without bounds is a counted rejection");
    assert.equal(badTrades, 1, "the trade whose m is not a boolean is a counted rejection");
    assert.equal(wrongType, 0, "gap markers are not rejected as wrong events");

    const ref = runReferenceCandles(input, h5, {
      windowSeconds: WINDOW_SECONDS,
      latenessSeconds: LATENESS_SECONDS,
      symbols: SYMBOLS,
    });
    assert.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    const r = JSON.parse(ref.stdout) as Record<string, number | string[]>;
    console.log(`reference_candles: ${ref.stdout.trim()}`);
    assert.deepEqual(r.problems, []);
    assert.equal(ref.status, 0);
    assert.equal(r.rel_tol, 0, "compared exactly");
    assert.equal(r.windows_compared, r.expected_windows);
    assert.ok((r.windows_compared as number) >= 3 * 20, "enough windows to mean something");
    assert.ok((r.empty_windows as number) >= 4, "quiet and lost windows are rows with count 0");
    assert.ok((r.windows_gap_unfilled as number) >= 3, "the lost minute is flagged unfilled");
    assert.ok((r.windows_gap_filled as number) >= 3, "filled gaps are flagged");
    assert.equal(r.gaps, fixture.gaps);
    assert.ok((r.late as number) > 0, "late trades were dropped as the reference drops them");
    assert.ok((r.multi_trade_aggregates as number) > 100 && (r.taker_buys as number) > 100);
    assert.ok((r.taker_sells as number) > 100);
  } finally {
    await producer?.stop("SIGKILL");
    await processor?.stop("SIGKILL");
    await simulator?.stop();
  }
});
