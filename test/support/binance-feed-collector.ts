/**
 * The test side of the binance-producer's ZeroMQ PUSH socket: a PULL socket
 * that keeps every published message in arrival order, split into market
 * events and gap markers, for the binance-feed-* end-to-end specs.
 */
import * as zmq from "zeromq";
import { startBinanceSimulator, type SimulatorOptions } from "@cryptostream/binance-simulator/simulator";
import { freePort, ServiceProcess, sleep } from "./service-process.js";

export interface Published {
  readonly stream: string;
  readonly data: Record<string, unknown> & { e: string; s: string; E: number };
}

export interface GapMarkerSeen {
  readonly stream: string;
  readonly data: {
    e: "gap";
    E: number;
    s: string;
    stream: string;
    symbols: string[];
    from: number;
    to: number;
    cause: string;
    filled: boolean;
    missing: number | null;
  };
}

export async function collectPublished(endpoint: string) {
  const sock = new zmq.Pull();
  sock.connect(endpoint);
  const all: Published[] = [];
  void (async () => {
    try {
      for await (const frames of sock) for (const f of frames) all.push(JSON.parse(f.toString()) as Published);
    } catch {
      // closed
    }
  })();
  return {
    all,
    markers: () => all.filter((m) => m.data.e === "gap") as unknown as GapMarkerSeen[],
    events: (e: string) => all.filter((m) => m.data.e === e),
    close: () => sock.close(),
  };
}

/** Log records of a producer matching msg (and an optional predicate). */
export function logsOf(p: ServiceProcess, msg: string, pred: (l: Record<string, unknown>) => boolean = () => true) {
  return p.logs.filter((l) => l.msg === msg && pred(l));
}

/** Waits until `probe` holds, polling; throws with `what` on timeout. */
export async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The forced faults of the issue-11 runs, in order, each waited out on the producer's own logs. */
export interface FaultPlan {
  /** `reset` drops (buffered data lost, the market keeps trading): each one a gap. */
  readonly drops: number;
  /** serverShutdown announcements: make-before-break roll-overs, no gap. */
  readonly shutdowns?: number;
  /** Age roll-overs (BINANCE_MAX_CONNECTION_SECONDS) to wait for after the rest. */
  readonly ageRollOvers?: number;
  /** Pause before each fault, ms (well inside the producer's age limit). */
  readonly pauseMs?: number;
}

export interface FaultSimulator {
  dropConnections(style: "flush" | "reset"): number;
  serverShutdownConnections(): number;
}

/** Counts of "reconnected" records by roll-over cause ("shutdown", "roll-over"). */
export function rollOvers(p: ServiceProcess, cause: string): number {
  return logsOf(p, "reconnected", (l) => l.rollOver === cause).length;
}

/**
 * Runs a FaultPlan against a running producer: each drop waits for the reconnect (and, when
 * `afterDrop` is given, for it), each serverShutdown for its roll-over, then the age roll-overs.
 */
export async function runFaults(
  sim: FaultSimulator,
  producer: ServiceProcess,
  plan: FaultPlan,
  afterDrop?: (i: number) => Promise<void>,
): Promise<void> {
  const pause = plan.pauseMs ?? 1_000;
  const reconnects = () => logsOf(producer, "reconnected").length;
  for (let i = 1; i <= plan.drops; i++) {
    await sleep(pause);
    const before = reconnects();
    if (sim.dropConnections("reset") < 1) throw new Error(`drop ${i}: no connection to cut`);
    await until(`reconnect after drop ${i}`, () => reconnects() > before);
    await afterDrop?.(i);
  }
  for (let i = 1; i <= (plan.shutdowns ?? 0); i++) {
    await sleep(pause);
    const before = rollOvers(producer, "shutdown");
    if (sim.serverShutdownConnections() < 1) throw new Error(`serverShutdown ${i}: no connection`);
    await until(`roll-over after serverShutdown ${i}`, () => rollOvers(producer, "shutdown") > before);
  }
  const age = plan.ageRollOvers ?? 0;
  if (age > 0) await until(`${age} age roll-overs`, () => rollOvers(producer, "roll-over") >= age, 10_000);
}

/**
 * One producer-level run: a simulator of `symbols` (pings every second), the real
 * binance-producer taking `stream` from it (REST backfill aimed at it too) and pushing
 * to a fresh loopback endpoint, and the collector on that endpoint. `close` kills the
 * producer and stops the rest.
 */
export async function startFeedRun(o: {
  readonly symbols: readonly string[];
  readonly stream: "aggtrade" | "ticker";
  readonly sim: SimulatorOptions;
  readonly producerEnv?: Record<string, string>;
}) {
  const sim = await startBinanceSimulator({
    port: 0,
    symbols: o.symbols.map((s) => s.toLowerCase()),
    pingIntervalMs: 1_000,
    ...o.sim,
  });
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const out = await collectPublished(endpoint);
  const producer = new ServiceProcess("binance-producer", {
    BINANCE_WS_URL: sim.url,
    BINANCE_REST_URL: sim.restUrl,
    BINANCE_STREAM: o.stream,
    BINANCE_SYMBOLS: o.symbols.join(","),
    ZMQ_BIND: endpoint,
    ...o.producerEnv,
  });
  const close = async () => {
    await producer.stop("SIGKILL");
    out.close();
    await sim.stop();
  };
  return { sim, out, producer, close };
}
