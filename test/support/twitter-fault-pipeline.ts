/**
 * The Twitter pipeline of the faults-twitter specs over either transport: the
 * twitter-processor with the documented sink behaviour's knobs turned down (flush at once,
 * retries within a second), the real twitter-producer polling the simulator
 * (no rate limit to run into in a long run), waits for "everything is
 * written", and check_twitter.py over one or several files.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startTwitterSimulator, type RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { after, before } from "node:test";
import os from "node:os";
import { uniqueName } from "./kafka-admin.js";
import { startTestBroker, type TestBroker } from "./kafka-broker.js";
import { requirePythonModule, runPython } from "./python.js";
import { freePort, ROOT, type ServiceProcess, sleep, waitFor } from "./service-process.js";
import { startTwitterProcessor, startTwitterProducer } from "./twitter-e2e.js";
import {
  settled,
  startKafkaTwitterProcessor,
  startKafkaTwitterProducer,
  type TwitterCheck,
  WINDOW_MS,
} from "./twitter-kafka.js";

/** Closed windows written at once; a failed write retried within about a second. */
export const SINK_ENV: Readonly<Record<string, string>> = {
  TWITTER_FLUSH_SECONDS: "0",
  SINK_RETRY_BASE_MS: "200",
  SINK_RETRY_MAX_MS: "1000",
};

export type Transport = "zmq" | "kafka";

/** How the processor and producer of one run are connected. */
export interface Wiring {
  readonly transport: Transport;
  processor(h5: string, extra?: Record<string, string>): ServiceProcess;
  producer(apiUrl: string, statePath: string): ServiceProcess;
  /** Resolves once the processor takes messages (ZeroMQ: listening; Kafka: joined its group). */
  ready(p: ServiceProcess): Promise<void>;
  /** Resolves once every message the (idle) producer published is written, no window open. */
  drained(p: ServiceProcess, producer: ServiceProcess, timeoutMs?: number): Promise<void>;
}

export async function zmqWiring(): Promise<Wiring> {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  return {
    transport: "zmq",
    processor: (h5, extra = {}) => startTwitterProcessor(endpoint, h5, { ...SINK_ENV, ...extra }),
    producer: (apiUrl, state) => startTwitterProducer(apiUrl, endpoint, state),
    ready: async (p) => void (await p.healthPort()),
    drained: async (p, producer, timeoutMs = 40_000) => {
      await producerIdle(producer);
      const published = await producer.metric("pipeline_messages_out_total");
      await waitFor(
        `the processor to take all ${published} responses and close every window`,
        async () =>
          ((await p.metric("pipeline_messages_in_total")) >= published &&
            ((await p.health()).body as { openWindows?: number }).openWindows === 0) ||
          undefined,
        timeoutMs,
        250,
      );
    },
  };
}

export function kafkaWiring(brokers: string, topic = uniqueName("twitter"), group = uniqueName("twproc")): Wiring {
  return {
    transport: "kafka",
    processor: (h5, extra = {}) => startKafkaTwitterProcessor(brokers, topic, group, h5, { ...SINK_ENV, ...extra }),
    producer: (apiUrl, state) => startKafkaTwitterProducer(apiUrl, brokers, topic, state),
    ready: (p) => joined(p).then(() => undefined),
    drained: async (p, producer, timeoutMs) => {
      await producerIdle(producer);
      await settled(p, brokers, group, topic, timeoutMs);
    },
  };
}

export const joined = (p: ServiceProcess, timeoutMs = 30_000) =>
  p.waitForLog((l) => l.msg === "joined Kafka consumer group", timeoutMs);

/** Waits until a producer published nothing new for a while (its last poll's responses are out). */
export async function producerIdle(producer: ServiceProcess, quietMs = 1_500): Promise<void> {
  let last = -1;
  await waitFor(
    "the producer to publish its last responses",
    async () => {
      const now = await producer.metric("pipeline_messages_out_total");
      const same = now === last;
      last = now;
      return same || undefined;
    },
    30_000,
    quietMs,
  );
}

/** A simulator that serves only what the test adds, with no rate limit to run into. */
export function startSim(seed: number, initialTweets: number): Promise<RunningTwitterSimulator> {
  return startTwitterSimulator({ port: 0, seed, initialTweets, tweetsPerSecond: 0, rateLimit: 1_000_000 });
}

/** A live stream (3 tweets every 350 ms) until `done()` says stop. Returns the steps taken. */
export async function streamUntil(sim: RunningTwitterSimulator, done: () => boolean): Promise<number> {
  let steps = 0;
  for (; !done(); steps++) {
    sim.generateTweets(3);
    await sleep(350);
  }
  return steps;
}

/** A live stream for `ms` milliseconds. */
export function streamFor(sim: RunningTwitterSimulator, ms: number): Promise<number> {
  const end = Date.now() + ms;
  return streamUntil(sim, () => Date.now() >= end);
}

/** The processes of one run, all killed at its end whatever happened. */
export class Procs {
  private readonly all: ServiceProcess[] = [];

  track<P extends ServiceProcess>(p: P): P {
    this.all.push(p);
    return p;
  }

  async killAll(): Promise<void> {
    for (const p of this.all) await p.stop("SIGKILL");
  }
}

/** Runs `body` with a fresh simulator; kills every process it tracked and stops the simulator at the end. */
export async function withRun(
  seed: number,
  initialTweets: number,
  body: (sim: RunningTwitterSimulator, procs: Procs) => Promise<void>,
): Promise<void> {
  const sim = await startSim(seed, initialTweets);
  const procs = new Procs();
  try {
    await body(sim, procs);
  } finally {
    await procs.killAll();
    await sim.stop();
  }
}

/** True when KAFKA_BROKERS names a broker: startTestBroker then uses it, and cannot restart it. */
export const EXTERNAL_BROKER = Boolean(process.env.KAFKA_BROKERS?.trim());

/**
 * What one spec file shares: a temporary folder (removed after) and, when
 * asked, one Kafka broker (closed after). Set in `before`, so read them in tests.
 */
export function specResources(name: string, withBroker: boolean): { work: string; broker: TestBroker } {
  const res = {} as { work: string; broker: TestBroker };
  before(async () => {
    requirePythonModule("h5py", "python3-h5py");
    res.work = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    if (withBroker) res.broker = await startTestBroker(name);
  });
  after(async () => {
    await res.broker?.close();
    if (res.work) fs.rmSync(res.work, { recursive: true, force: true });
  });
  return res;
}

export interface FaultCheck extends TwitterCheck {
  files: number;
  tweet_rows: number;
  ids_in_several_files: number;
  windows: number;
  sentiment_rows: number;
  rows_skipped_by_merge_rule: number;
  overlapping_ranges: number;
  windows_without_complete_row: number;
  incomplete: unknown[];
  log_columns: boolean;
  compared: { windows: number; tweets: number } | null;
  problem_count: number;
  log_problems: string[];
  ids_by_file: Record<string, string[]> | null;
}

/**
 * check_twitter.py over `files` read together (tweets one per id, sentiment
 * merged with the documented rule); `oneWriter` when they are successive files
 * of one processor. Does not assert the result: print it first.
 */
export function checkTwitterFiles(
  dir: string,
  name: string,
  files: readonly string[],
  sim: RunningTwitterSimulator,
  opts: { expected?: readonly string[]; transport?: Transport; idsByFile?: boolean; oneWriter?: boolean } = {},
): FaultCheck {
  const servedPath = path.join(dir, `${name}-served.json`);
  fs.writeFileSync(servedPath, JSON.stringify(sim.served()));
  const args = [path.join(ROOT, "test/support/check_twitter.py"), "--served", servedPath];
  args.push("--window-ms", String(WINDOW_MS), ...files.flatMap((f) => ["--h5", f]));
  args.push(...(opts.expected ?? []).flatMap((f) => ["--expected-h5", f]));
  if (opts.transport) args.push("--transport", opts.transport);
  if (opts.idsByFile) args.push("--ids-by-file");
  if (opts.oneWriter) args.push("--one-writer");
  const r = runPython(args);
  assert.equal(r.stderr.trim(), "", `${name}: check_twitter.py ran cleanly`);
  assert.ok(r.status === 0 || r.status === 1, `${name}: check_twitter.py exit ${r.status}`);
  return JSON.parse(r.stdout) as FaultCheck;
}

/** What a wait said: "ok", or why it gave up (to be asserted after the facts are printed). */
export const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "ok",
    (e: Error) => e.message,
  );

/** The summary line of a scenario, for the closing note. */
export function summaryLine(name: string, facts: Record<string, unknown>): void {
  console.log(`# ${name}: ${JSON.stringify(facts)}`);
}

/** What a check says in a summary line (no long lists). */
export function checkFacts(c: FaultCheck): Record<string, unknown> {
  return {
    served: c.served,
    stored: c.tweets,
    tweetRows: c.tweet_rows,
    inSeveralFiles: c.ids_in_several_files,
    windows: c.windows,
    sentimentRows: c.sentiment_rows,
    skippedByRule: c.rows_skipped_by_merge_rule,
    incompleteRows: c.incomplete_rows,
    late: c.late,
    logColumns: c.log_columns,
    problems: c.problem_count,
    logProblems: c.log_problems.length,
    firstProblems: c.problems.slice(0, 3),
  };
}

/** Log lines of a process with this `msg`. */
export const logsWith = (p: ServiceProcess, msg: string) => p.logs.filter((l) => l.msg === msg);
