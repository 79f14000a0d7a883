/**
 * End to end over ZeroMQ: the Binance simulator replays a fixed file, the real
 * producer and processor run as separate processes connected by real ZeroMQ
 * sockets, and Debian's h5py reads the HDF5 file, which an independent Python
 * reference (test/support/reference_binance.py) checks row by row against
 * aggregates it computes from the same input file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { writeReplayFile } from "@cryptostream/binance-simulator/replay-fixture";
import { freePort, ROOT, ServiceProcess, waitFor } from "../support/service-process.js";
import { requirePythonModule, runPython } from "../support/python.js";
import { readTable, type PlainRow } from "../support/h5-table.js";

const SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];
const WINDOW_SECONDS = 10;
const LATENESS_SECONDS = 2;

let dir: string;
before(() => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-binance-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface RunResult {
  reference: Record<string, unknown>;
  referenceStatus: number | null;
  processorIn: number;
  /** Gap markers the producer published (binance_gap_markers_total): the processor receives them beside the events. */
  markers: number;
  /** The file's /gaps rows. */
  gaps: PlainRow[];
  rejects: number;
  reconnects: number;
  producerExit: number | null;
  processorExit: number | null;
}

async function runPipeline(
  name: string,
  sim: Partial<Parameters<typeof startBinanceSimulator>[0]>,
  events: number,
): Promise<RunResult> {
  const input = path.join(dir, `${name}.jsonl`);
  const fixture = await writeReplayFile(input, {
    symbols: SYMBOLS,
    events,
    stepMs: 30, // 7 symbols -> each symbol every 210 ms of event time: ~48 events per 10 s window
    seed: 7,
    outOfOrderEvery: 13,
    outOfOrderLagMs: 3_500, // beyond the 2 s lateness: some of these are late
    malformedEvery: 97,
  });
  const h5 = path.join(dir, `${name}.h5`);
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
      ...sim,
    });
    const zmqPort = await freePort();
    processor = new ServiceProcess("binance-processor", {
      ZMQ_CONNECT: `tcp://127.0.0.1:${zmqPort}`,
      BINANCE_H5_PATH: h5,
      WINDOW_SECONDS: String(WINDOW_SECONDS),
      ALLOWED_LATENESS_SECONDS: String(LATENESS_SECONDS),
    });
    await processor.healthPort();
    producer = new ServiceProcess("binance-producer", {
      BINANCE_WS_URL: simulator.url,
      ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
      BINANCE_RECONNECT_BASE_MS: "100",
    });
    const lines = fixture.lines.length;
    await waitFor("the simulator to send every line", () => simulator!.stats().replay?.finished || undefined, 60_000);
    // Every valid event reaches the processor (malformed lines stop at the producer), and
    // so does every gap marker the producer published after a reconnect.
    const markers = () => producer!.metric("binance_gap_markers_total");
    await waitFor(
      "the processor to receive every event and marker",
      async () =>
        (await processor!.metric("pipeline_messages_in_total")) >= fixture.events + (await markers())
          ? true
          : undefined,
      30_000,
    );
    const producerRejects = await producer.metric("pipeline_rejects_total", 'reason="malformed_frame"');
    const reconnects = await producer.metric("pipeline_reconnects_total");
    assert.equal(
      producerRejects,
      fixture.malformed,
      `the producer rejects each of the ${fixture.malformed} malformed lines of ${lines}`,
    );
    const processorIn = await processor.metric("pipeline_messages_in_total");
    const markerCount = await markers();
    const rejects = await processor.metric("pipeline_rejects_total");
    const processorExit = await processor.stop("SIGTERM");
    const producerExit = await producer.stop("SIGTERM");
    const ref = runPython([
      path.join(ROOT, "test/support/reference_binance.py"),
      "--input",
      input,
      "--h5",
      h5,
      "--stream",
      "ticker",
      "--window-ms",
      String(WINDOW_SECONDS * 1000),
      "--lateness-ms",
      String(LATENESS_SECONDS * 1000),
      "--symbols",
      SYMBOLS.join(","),
    ]);
    assert.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    return {
      reference: JSON.parse(ref.stdout) as Record<string, unknown>,
      referenceStatus: ref.status,
      processorIn,
      markers: markerCount,
      gaps: await readTable(h5, "/gaps"),
      rejects,
      reconnects,
      producerExit,
      processorExit,
    };
  } finally {
    await producer?.stop("SIGKILL");
    await processor?.stop("SIGKILL");
    await simulator?.stop();
  }
}

test("replayed ticker events become exactly the windows an independent reference computes", async () => {
  const r = await runPipeline("steady", {}, 3_000);
  assert.deepEqual(r.reference.problems, []);
  assert.equal(r.referenceStatus, 0);
  assert.ok(
    (r.reference.expected_windows as number) >= 7 * 8,
    `enough windows to mean something: ${JSON.stringify(r.reference)}`,
  );
  assert.ok(
    (r.reference.late as number) > 0,
    "the input holds late events, and they were dropped as the reference drops them",
  );
  assert.equal(r.processorIn, 3_000);
  assert.equal(r.markers, 0, "no reconnect, no gap marker");
  assert.deepEqual(r.gaps, []);
  assert.equal(r.processorExit, 0);
  assert.equal(r.producerExit, 0);
});

test("a connection dropped mid-stream is reconnected and the rows are still exact", async () => {
  const r = await runPipeline("dropped", { dropEveryMessages: 1_100, dropStyle: "flush" }, 3_000);
  assert.ok(r.reconnects >= 2, `the producer reconnected (${r.reconnects})`);
  assert.deepEqual(r.reference.problems, []);
  assert.equal(r.referenceStatus, 0);
  // Each reconnect leaves one gap marker per symbol (ticker: never filled, count unknown);
  // the processor receives them beside the 3000 events and records each one in /gaps.
  assert.equal(r.markers, r.reconnects * SYMBOLS.length, "one marker per symbol per reconnect");
  assert.equal(r.processorIn, 3_000 + r.markers, "every event and every marker reached the processor");
  assert.equal(r.gaps.length, r.markers, "every marker is a /gaps row");
  for (const symbol of SYMBOLS) {
    const own = r.gaps.filter((g) => g.symbol === symbol.toUpperCase());
    assert.equal(own.length, r.reconnects, `${symbol}: one /gaps row per reconnect`);
    for (const g of own) {
      assert.equal(g.stream, `${symbol}@ticker`);
      assert.equal(g.cause, "drop");
      assert.equal(g.filled, 0, "ticker gaps are never filled");
      assert.equal(g.missing, -1);
      assert.ok((g.from as number) < (g.to as number), `bounds (${g.from}, ${g.to})`);
    }
  }
});
