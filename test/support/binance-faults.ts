/**
 * The harness of the binance-processor fault specs (test/e2e/faults-binance-*.test.ts):
 * the simulator replaying a fixture, the real producer and processor over
 * ZeroMQ or Kafka, waits that give up as soon as a process they depend on
 * has exited (saying why), and the reference check with its fault options.
 *
 * Fixtures are dated a day ahead of the clock (MAX_FUTURE_SKEW_SECONDS is
 * raised to allow it): windows then close only by event time, never by the
 * wall clock while a fault stalls intake, so the reference's rules apply
 * exactly whatever the timing; the last window of each symbol stays open
 * (the reference runs with --closed-only).
 */
import { after, before } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { writeReplayFile, type ReplayFixture } from "@cryptostream/binance-simulator/replay-fixture";
import { messageCount, readToEnd, uniqueName } from "./kafka-admin.js";
import { startTestBroker, type TestBroker } from "./kafka-broker.js";
import { requirePythonModule } from "./python.js";
import {
  assignedPartitions,
  LATENESS_SECONDS,
  runReference,
  startKafkaProcessor,
  startKafkaProducer,
  SYMBOLS,
  WINDOW_SECONDS,
  type ReferenceSummary,
} from "./binance-kafka.js";
import { storeExists, storeFiles, storeIsHdf5 } from "./store.js";
import { Expectations } from "./expectations.js";
import { freePort, ServiceProcess, sleep } from "./service-process.js";

export type Transport = "zmq" | "kafka";

/** Sink settings of every fault spec (names from the documented sink behaviour). */
export const FAULT_ENV: Readonly<Record<string, string>> = {
  BINANCE_FLUSH_SECONDS: "1",
  SINK_RETRY_BASE_MS: "200",
  SINK_RETRY_MAX_MS: "1000",
  MAX_FUTURE_SKEW_SECONDS: String(3 * 86_400),
};

/** A start time for fixtures a day ahead of the clock, on a whole minute. */
export function dayAhead(): number {
  return Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000;
}

/** Undo jobs of one test (stop processes, stop simulators, unmount), run last-in first-out. */
export class Cleanup {
  private readonly jobs: Array<() => Promise<unknown>> = [];

  add(job: () => Promise<unknown>): void {
    this.jobs.push(job);
  }

  proc(p: ServiceProcess): ServiceProcess {
    this.add(() => p.stop("SIGKILL"));
    return p;
  }

  async sim(replayFile: string, replayRate: number): Promise<BinanceSimulator> {
    const s = await startBinanceSimulator({
      port: 0,
      symbols: SYMBOLS,
      replayFile,
      replayResume: true,
      replayRate,
      pingIntervalMs: 1_000,
    });
    this.add(() => s.stop());
    return s;
  }

  async run(): Promise<void> {
    for (let job = this.jobs.pop(); job; job = this.jobs.pop()) {
      try {
        await job();
      } catch (err) {
        console.log(`# cleanup step failed: ${(err as Error).message}`);
      }
    }
  }
}

/** Why `p` is gone: exit code, its last error log lines (message and error text), the end of its stderr. */
export function exitReason(p: ServiceProcess): string {
  const errors = p.logs
    .filter((l) => l.level === "error")
    .slice(-3)
    .map((l) => {
      const err = (l.err as { message?: string } | undefined)?.message;
      return `"${l.msg}${err ? `: ${err.slice(0, 200)}` : ""}"`;
    });
  const stderr = p.stderr.trim().slice(-300);
  return `${p.name} exited (code ${p.exitCode}); last error logs: ${errors.join(", ") || "none"}${stderr ? `; stderr: ${stderr}` : ""}`;
}

/**
 * Polls `probe` until it returns something other than undefined/false. Throws
 * at once when one of `procs` has exited, and after `timeoutMs`.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { procs?: readonly ServiceProcess[]; timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last = "";
  for (;;) {
    for (const p of opts.procs ?? [])
      if (p.exitCode !== undefined) throw new Error(`while waiting for ${what}: ${exitReason(p)}`);
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
    await sleep(opts.everyMs ?? 200);
  }
}

export const metricAtLeast = (p: ServiceProcess, name: string, n: number, timeoutMs = 30_000) =>
  until(`${p.name} ${name} >= ${n}`, async () => (await p.metric(name)) >= n, { procs: [p], timeoutMs });

/** Waits until `p` has read and written nothing new for `quietMs` (the stream is over, the last flush done). */
export async function quiet(p: ServiceProcess, quietMs = 3_000, timeoutMs = 60_000): Promise<void> {
  let last = "";
  let since = Date.now();
  await until(
    `${p.name} to go quiet`,
    async () => {
      const n = `${await p.metric("pipeline_messages_in_total")}/${await p.metric("pipeline_messages_out_total")}`;
      if (n !== last) {
        last = n;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs;
    },
    { procs: [p], timeoutMs, everyMs: 500 },
  );
}

/** Event time (ms) of the newest event `p` has taken in (pipeline_last_event_time_seconds). */
export async function lastEventTimeMs(p: ServiceProcess): Promise<number> {
  return Math.round((await p.metric("pipeline_last_event_time_seconds")) * 1000);
}

export interface FaultSummary extends ReferenceSummary {
  merge_rule: boolean;
  rows_skipped_by_merge_rule: number;
  earlier_windows_expected?: number;
  earlier_windows_present?: number;
  partial_windows?: number;
  partial_windows_exact_count?: number;
  partial_events?: number;
  lost_windows?: number;
  lost_events?: number;
}

/**
 * reference_binance.py on `files` with --closed-only and --once, plus `args`
 * (--after-ms, --may-be-partial, --crashed-file).
 */
export function faultReference(input: string, files: readonly string[], args: readonly string[] = []) {
  for (const f of files)
    if (!storeIsHdf5(f))
      throw new Error(
        `the reference cannot check ${f}: ${storeExists(f) ? "not HDF5" : "missing"} (${storeFiles(f).join(", ")})`,
      );
  const r = runReference(input, files, ["--closed-only", "--once", ...args]);
  return { ...r, summary: r.summary as FaultSummary };
}

/** The numbers of a reference summary worth quoting, without the problem texts. */
export function brief(s: FaultSummary): Record<string, unknown> {
  const { problems: _p, ...rest } = s;
  return rest;
}

/** Prints the one `# <name>: {...}` line a scenario leaves in the test output. */
export function report(name: string, numbers: Record<string, unknown>): void {
  console.log(`# ${name}: ${JSON.stringify(numbers)}`);
}

/** The real producer and processor, wired over one transport, fed by the simulator. */
export interface Pipeline {
  readonly transport: Transport;
  readonly producer: ServiceProcess;
  readonly sim: BinanceSimulator;
  readonly processor: ServiceProcess;
  /** Kafka topic and group; ZeroMQ endpoint. */
  readonly where: { topic?: string; group?: string; endpoint?: string };
  /** A new processor on the same file (and group or endpoint), once the old one is gone. */
  startProcessor(extra?: Record<string, string>): Promise<ServiceProcess>;
  /** Waits until the replay has ended and the current processor has taken in all of it and written what it can. */
  settle(events: number, timeoutMs?: number): Promise<void>;
}

export interface PipelineOptions {
  readonly transport: Transport;
  readonly input: string;
  readonly h5: string;
  readonly replayRate: number;
  /** Kafka only. */
  readonly brokers?: string;
  readonly processorEnv?: Record<string, string>;
  readonly producerEnv?: Record<string, string>;
}

export async function startPipeline(c: Cleanup, o: PipelineOptions): Promise<Pipeline> {
  const env = { ...FAULT_ENV, ...o.processorEnv };
  const kafka = o.transport === "kafka";
  if (kafka && !o.brokers) throw new Error("a Kafka pipeline needs brokers");
  const topic = uniqueName("binance-faults");
  const group = uniqueName("faults");
  const zmqPort = kafka ? 0 : await freePort();
  const newProcessor = async (extra: Record<string, string> = {}) => {
    const p = c.proc(
      kafka
        ? startKafkaProcessor(o.brokers!, topic, group, o.h5, { ...env, ...extra })
        : new ServiceProcess("binance-processor", {
            ZMQ_CONNECT: `tcp://127.0.0.1:${zmqPort}`,
            BINANCE_H5_PATH: o.h5,
            WINDOW_SECONDS: String(WINDOW_SECONDS),
            ALLOWED_LATENESS_SECONDS: String(LATENESS_SECONDS),
            ...env,
            ...extra,
          }),
    );
    if (kafka)
      await until(`${p.name} to be given partitions`, () => (assignedPartitions(p, topic)?.length ?? 0) > 0, {
        procs: [p],
        timeoutMs: 60_000,
      });
    else await p.healthPort();
    return p;
  };
  const processor = await newProcessor();
  const sim = await c.sim(o.input, o.replayRate);
  const producer = c.proc(
    kafka
      ? startKafkaProducer(sim.url, o.brokers!, topic)
      : new ServiceProcess("binance-producer", {
          BINANCE_WS_URL: sim.url,
          ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
          BINANCE_RECONNECT_BASE_MS: "100",
          ...o.producerEnv,
        }),
  );
  const pipeline: Pipeline = {
    transport: o.transport,
    producer,
    sim,
    processor,
    where: kafka ? { topic, group } : { endpoint: `tcp://127.0.0.1:${zmqPort}` },
    async startProcessor(extra) {
      const p = await newProcessor(extra);
      (pipeline as { processor: ServiceProcess }).processor = p;
      return p;
    },
    async settle(events, timeoutMs = 90_000) {
      const p = pipeline.processor;
      await until("the simulator to send every line", () => sim.stats().replay?.finished, {
        procs: [p, producer],
        timeoutMs,
      });
      if (kafka) {
        await until(
          `the topic to hold ${events} events`,
          async () => (await messageCount(o.brokers!, topic)) >= events,
          { procs: [p, producer], timeoutMs },
        );
        // Quiet is not enough: after a broker outage a processor can be quiet while it waits to reconnect.
        await until(`${p.name} to read the whole topic`, () => readToEnd(o.brokers!, topic, [p]), {
          procs: [p, producer],
          timeoutMs,
        });
      } else
        await until(
          "the producer's outbox to empty",
          async () => ((await producer.health()).body as { queued?: number }).queued === 0,
          { procs: [p, producer], timeoutMs },
        );
      await quiet(p, 3_000, timeoutMs);
    },
  };
  return pipeline;
}

export interface Scenario {
  /** Promises checked softly; all broken ones are listed when the scenario ends. */
  readonly exp: Expectations;
  /** What the `# <name>: {...}` summary line shows. */
  readonly numbers: Record<string, unknown>;
  readonly cleanup: Cleanup;
}

/**
 * Runs one fault scenario: cleans up whatever happened, prints its summary
 * line, then fails with the error that stopped it (plus the expectations
 * already broken) or with every broken expectation.
 */
export async function scenario(name: string, body: (s: Scenario) => Promise<void>): Promise<void> {
  const s: Scenario = { exp: new Expectations(), numbers: {}, cleanup: new Cleanup() };
  let failure: Error | undefined;
  try {
    await body(s);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  } finally {
    await s.cleanup.run();
  }
  report(name, { ...s.numbers, brokenExpectations: s.exp.failures.length, stoppedBy: failure?.message.slice(0, 300) });
  if (failure) {
    if (s.exp.failures.length > 0) failure.message += `\nbroken before that:\n- ${s.exp.failures.join("\n- ")}`;
    throw failure;
  }
  s.exp.verify();
}

/** Log lines with this `msg`, over several processes (a processor and its restarts). */
export function countLogs(procs: readonly ServiceProcess[], msg: string): number {
  return procs.reduce((n, p) => n + p.logs.filter((l) => l.msg === msg).length, 0);
}

export interface SpecFile {
  /** This file's folder for fixtures and HDF5 files (set in `before`). */
  readonly dir: string;
  /** This file's Kafka broker, when asked for (set in `before`). */
  readonly broker: TestBroker;
}

/**
 * The hooks of one fault spec file: h5py must be there, a fresh folder
 * (removed at the end unless FAULTS_KEEP=1, which prints where it is), and,
 * with `kafka`, one broker for the whole file.
 */
export function specFile(name: string, opts: { kafka?: boolean } = {}): SpecFile {
  const spec = { dir: "", broker: undefined as TestBroker | undefined };
  before(async () => {
    requirePythonModule("h5py", "python3-h5py");
    spec.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    if (opts.kafka) spec.broker = await startTestBroker(name);
  });
  after(async () => {
    await spec.broker?.close();
    if (process.env.FAULTS_KEEP === "1") console.log(`# FAULTS_KEEP=1: kept ${spec.dir}`);
    else if (spec.dir) fs.rmSync(spec.dir, { recursive: true, force: true });
  });
  return spec as SpecFile;
}

/**
 * A fixture in which no event is late: events `reorderMs` out of order (0:
 * none), always less than the allowed lateness. Lateness then does not
 * depend on where a process starts reading, which a new owner of a Kafka
 * partition, or a ZeroMQ processor after a restart, cannot know.
 */
export async function writeFixtureWithoutLate(
  dir: string,
  name: string,
  events: number,
  reorderMs: number,
): Promise<{ input: string; fixture: ReplayFixture }> {
  if (reorderMs >= LATENESS_SECONDS * 1000) throw new Error(`reorderMs must stay below the lateness`);
  const input = path.join(dir, `${name}.jsonl`);
  const fixture = await writeReplayFile(input, {
    symbols: SYMBOLS,
    events,
    stepMs: 30,
    seed: 7,
    malformedEvery: 97,
    startTimeMs: dayAhead(),
    ...(reorderMs > 0 ? { outOfOrderEvery: 13, outOfOrderLagMs: reorderMs } : {}),
  });
  return { input, fixture };
}
