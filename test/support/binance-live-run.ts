/**
 * Issue 11 end to end through the real services: the simulator's generated market (always
 * on, so a dropped connection really misses events), the real binance-producer (REST
 * backfill against the simulator) and the real binance-processor writing binance.h5, over
 * ZeroMQ or Kafka. The simulator is the independent source of truth: its trade history
 * (what the market made) becomes a recorded-format input for the pandas reference
 * (reference_candles.py), with the gap markers the producer logged.
 */
import fs from "node:fs";
import path from "node:path";
import {
  startBinanceSimulator,
  type BinanceSimulator,
  type SimulatorOptions,
} from "@cryptostream/binance-simulator/simulator";
import { logsOf } from "./binance-feed-collector.js";
import { readTable } from "./h5-table.js";
import { requirePythonModule, runReferenceCandles } from "./python.js";
import { freePort, ServiceProcess, sleep } from "./service-process.js";

export interface LiveRunOptions {
  readonly stream: "aggtrade" | "ticker";
  /** Upper case, as Binance writes them. */
  readonly symbols: readonly string[];
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly sim?: Partial<SimulatorOptions>;
  /** Extra producer environment (BINANCE_KLINES, BINANCE_MAX_CONNECTION_SECONDS, ...). */
  readonly producerEnv?: Record<string, string>;
  /** Transport environment of each service; ZeroMQ on a free port when absent. */
  readonly transport?: {
    readonly processor: Record<string, string>;
    readonly producer: Record<string, string>;
    /** A processor log message to wait for before the producer starts (Kafka: the group join). */
    readonly processorReady?: string;
  };
}

export interface LiveRun {
  readonly sim: BinanceSimulator;
  readonly producer: ServiceProcess;
  readonly processor: ServiceProcess;
  readonly h5: string;
  /**
   * Stops the producer (SIGTERM: it publishes what it holds), waits until the processor has
   * received everything, reads its counters, then stops it (open windows written as partial
   * rows). The simulator keeps running.
   */
  finish(): Promise<LiveRunEnd>;
  /** Kills whatever still runs (finally blocks). */
  kill(): Promise<void>;
}

export interface LiveRunEnd {
  readonly producerExit: number | null;
  readonly processorExit: number | null;
  /** The processor's counters just before its stop, summed over labels. */
  readonly processorMetrics: Record<string, number>;
  readonly lateRejects: number;
}

export async function startLiveRun(dir: string, o: LiveRunOptions): Promise<LiveRun> {
  const h5 = path.join(dir, "binance.h5");
  const sim = await startBinanceSimulator({
    port: 0,
    symbols: o.symbols.map((s) => s.toLowerCase()),
    intervalMs: 40,
    marketAlwaysOn: true,
    pingIntervalMs: 1_000,
    serverShutdownGraceMs: 1_000,
    ...o.sim,
  });
  let transport = o.transport;
  if (!transport) {
    const port = await freePort();
    transport = {
      processor: { ZMQ_CONNECT: `tcp://127.0.0.1:${port}` },
      producer: { ZMQ_BIND: `tcp://127.0.0.1:${port}` },
    };
  }
  const shared = { BINANCE_STREAM: o.stream, BINANCE_SYMBOLS: o.symbols.join(",") };
  let producer: ServiceProcess | undefined;
  const processor = new ServiceProcess("binance-processor", {
    ...transport.processor,
    ...shared,
    BINANCE_H5_PATH: h5,
    WINDOW_SECONDS: String(o.windowSeconds),
    ALLOWED_LATENESS_SECONDS: String(o.latenessSeconds),
  });
  try {
    await processor.healthPort(30_000);
    const ready = transport.processorReady;
    if (ready) await processor.waitForLog((l) => l.msg === ready, 30_000);
    producer = new ServiceProcess("binance-producer", {
      ...transport.producer,
      ...shared,
      BINANCE_WS_URL: sim.url,
      BINANCE_REST_URL: sim.restUrl,
      BINANCE_RECONNECT_BASE_MS: "300",
      BINANCE_RECONNECT_MAX_MS: "600",
      ...o.producerEnv,
    });
    await producer.healthPort(30_000);
  } catch (err) {
    await producer?.stop("SIGKILL");
    await processor.stop("SIGKILL");
    await sim.stop();
    throw err;
  }
  const p = producer;
  return {
    sim,
    producer: p,
    processor,
    h5,
    async finish() {
      const producerExit = await p.stop("SIGTERM");
      // Everything the producer published reaches the processor: wait until its count stands still.
      let seen = -1;
      for (let n = await processor.metric("pipeline_messages_in_total"); n !== seen; ) {
        seen = n;
        await sleep(700);
        n = await processor.metric("pipeline_messages_in_total");
      }
      const processorMetrics = await processor.metrics();
      const lateRejects = await processor.metric("pipeline_rejects_total", 'reason="late"');
      const processorExit = await processor.stop("SIGTERM");
      return { producerExit, processorExit, processorMetrics, lateRejects };
    },
    async kill() {
      await p.stop("SIGKILL");
      await processor.stop("SIGKILL");
      await sim.stop();
    },
  };
}

/** The gap markers the producer published, as it logged them ("gap marker"), in order. */
export function loggedMarkers(producer: ServiceProcess, symbols: readonly string[]) {
  return logsOf(producer, "gap marker").map((l) => ({
    e: "gap" as const,
    E: l.E as number,
    s: l.s as string,
    stream: l.stream as string,
    symbols: [...symbols],
    from: l.from as number,
    to: l.to as number,
    cause: l.cause as string,
    filled: l.filled as boolean,
    missing: l.missing as number | null,
  }));
}

/**
 * The reference input of an aggTrade run: every trade of the simulator's history of each
 * symbol from its first trade (the market starts with the producer's subscription, so that
 * is the first one published) up to `lastT[symbol]`, as the aggTrade lines the stream sends
 * (per symbol in id order, the order the producer publishes), then the logged markers.
 */
export function historyInput(
  sim: BinanceSimulator,
  lastT: ReadonlyMap<string, number>,
  markers: ReadonlyArray<ReturnType<typeof loggedMarkers>[number]>,
): { lines: string[]; trades: Map<string, number> } {
  const all: Array<{ T: number; line: string }> = [];
  const trades = new Map<string, number>();
  for (const [symbol, last] of lastT) {
    const stream = `${symbol.toLowerCase()}@aggTrade`;
    const mine = sim.tradeHistory(symbol).filter((t) => t.T <= last);
    trades.set(symbol, mine.length);
    for (const t of mine)
      all.push({
        T: t.T,
        line: JSON.stringify({ stream, data: { e: "aggTrade", E: t.T, s: symbol, ...t } }),
      });
  }
  all.sort((a, b) => a.T - b.T); // stable: each symbol's trades keep their id order
  const lines = all.map((x) => x.line);
  for (const m of markers) lines.push(JSON.stringify({ stream: m.stream, data: m }));
  return { lines, trades };
}

/** Runs reference_candles.py on `lines` against the file; its JSON summary and exit status. */
export function referenceCandles(
  dir: string,
  h5: string,
  lines: readonly string[],
  o: Parameters<typeof runReferenceCandles>[2],
): { summary: Record<string, number | string[]>; status: number | null; stderr: string } {
  requirePythonModule("h5py", "python3-h5py");
  requirePythonModule("pandas", "python3-pandas");
  const input = path.join(dir, "history.jsonl");
  fs.writeFileSync(input, lines.join("\n") + "\n");
  const r = runReferenceCandles(input, h5, o);
  return {
    summary: JSON.parse(r.stdout || "{}") as Record<string, number | string[]>,
    status: r.status,
    stderr: r.stderr,
  };
}

/** Per symbol, the newest trade time in the file's /aggTrade/<SYMBOL> rows (event_time_last). */
export async function lastTradeTimes(h5: string, symbols: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of symbols) {
    const rows = await readTable(h5, `/aggTrade/${s}`);
    out.set(s, Math.max(...rows.map((r) => Number(r.event_time_last))));
  }
  return out;
}
