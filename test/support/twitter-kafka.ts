/**
 * Pieces of the Twitter end-to-end tests over Kafka: the real producer and
 * processor (started with the helpers of twitter-e2e.ts) pointed at a broker,
 * waits, and the independent check of the file (check_twitter.py).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { runPython } from "./python.js";
import { ROOT, type ServiceProcess, sleep, waitFor } from "./service-process.js";
import { startTwitterProcessor, startTwitterProducer } from "./twitter-e2e.js";
import { groupCaughtUp } from "./kafka-admin.js";

export const WINDOW_MS = 10_000;
/** ZMQ_BIND / ZMQ_CONNECT are not read with TRANSPORT=kafka; the helpers still want one. */
const UNUSED_ZMQ = "tcp://127.0.0.1:9";

export function kafkaTwitterEnv(brokers: string, topic: string): Record<string, string> {
  return { TRANSPORT: "kafka", KAFKA_BROKERS: brokers, TWITTER_TOPIC: topic };
}

export function startKafkaTwitterProducer(
  apiUrl: string,
  brokers: string,
  topic: string,
  statePath: string,
): ServiceProcess {
  return startTwitterProducer(apiUrl, UNUSED_ZMQ, statePath, kafkaTwitterEnv(brokers, topic));
}

export function startKafkaTwitterProcessor(
  brokers: string,
  topic: string,
  group: string,
  h5: string,
  extra: Record<string, string> = {},
): ServiceProcess {
  return startTwitterProcessor(UNUSED_ZMQ, h5, {
    ...kafkaTwitterEnv(brokers, topic),
    KAFKA_GROUP_ID: group,
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    ...extra,
  });
}

// Transport-agnostic waits, re-exported for the Kafka specs that import them from here.
export { allMatchingServed, processorWrote } from "./twitter-e2e.js";

/**
 * Waits until the processor holds no open sentiment window (the wall clock
 * closes the last one once tweets stop) and its group has committed the whole
 * topic: everything is in the file, and a restart would replay nothing.
 */
export async function settled(
  processor: ServiceProcess,
  brokers: string,
  group: string,
  topic: string,
  timeoutMs = 40_000,
): Promise<void> {
  await waitFor(
    `${group} to close every window and commit the whole topic`,
    async () => {
      const body = (await processor.health()).body as { openWindows?: number };
      if (body.openWindows !== 0) return undefined;
      return (await groupCaughtUp(brokers, group, topic)) || undefined;
    },
    timeoutMs,
    250,
  );
}

/** The processor's rejects by reason, for the test's diagnostics line. */
export async function rejectCounts(p: ServiceProcess): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const reason of ["duplicate", "replayed", "late_for_window", "bad_tweet"])
    out[reason] = await p.metric("pipeline_rejects_total", `reason="${reason}"`);
  return out;
}

/** Adds seeded tweets in small steps, like a live stream, running `during(step)` at each. */
export async function feed(
  sim: RunningTwitterSimulator,
  steps: number,
  during: (step: number) => void | Promise<void> = () => undefined,
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    sim.generateTweets(3);
    await during(step);
    await sleep(350);
  }
}

export interface TwitterCheck {
  tweets: number;
  served: number;
  on_time: number;
  late: number;
  sentiment_total: number;
  incomplete_rows: number;
  heap_rows: number;
  multibyte_texts: number;
  /** Stored rows per source. */
  sources: Record<string, number>;
  /** Merged /sentiment windows and their counts, per source. */
  sentiment_by_source: Record<string, { windows: number; count: number }>;
  /** Deleted posts (--deleted) whose row is blank with deleted_at set. */
  deleted_blank: number;
  deletes_rows: number;
  problems: string[];
}

/** check_twitter.py: each served tweet stored exactly once with its exact text; /sentiment matches /tweets. */
export function checkTwitterFile(dir: string, h5: string, sim: RunningTwitterSimulator, name: string): TwitterCheck {
  return checkServedFile(dir, h5, sim.served(), name);
}

/** check_twitter.py against any list of {id, text, created_at, author_id, lang} that must be stored, and nothing else. */
export function checkServedFile(
  dir: string,
  h5: string,
  served: readonly object[],
  name: string,
  /** Ids of posts deleted upstream: their text must be gone, /deletes must name each. */
  deleted?: readonly string[],
): TwitterCheck {
  const servedPath = path.join(dir, `${name}-served.json`);
  fs.writeFileSync(servedPath, JSON.stringify(served));
  const deletedArgs: string[] = [];
  if (deleted) {
    const deletedPath = path.join(dir, `${name}-deleted.json`);
    fs.writeFileSync(deletedPath, JSON.stringify(deleted));
    deletedArgs.push("--deleted", deletedPath);
  }
  const r = runPython([
    path.join(ROOT, "test/support/check_twitter.py"),
    "--h5",
    h5,
    "--served",
    servedPath,
    "--window-ms",
    String(WINDOW_MS),
    ...deletedArgs,
  ]);
  assert.equal(r.stderr.trim(), "", "the check ran cleanly");
  const out = JSON.parse(r.stdout) as TwitterCheck;
  assert.deepEqual(out.problems, [], `${name}: ${JSON.stringify({ ...out, problems: undefined })}`);
  assert.equal(r.status, 0);
  return out;
}
