/**
 * Pieces of the Binance end-to-end tests over Kafka: the replay fixture, the
 * real producer and processor processes configured for a broker, and the two
 * Python readers (the independent reference and the row-by-row comparison).
 */
import path from "node:path";
import { writeReplayFile, type ReplayFixture } from "@cryptostream/binance-simulator/replay-fixture";
import { runPython } from "./python.js";
import { ROOT, ServiceProcess } from "./service-process.js";

export const SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];
export const WINDOW_SECONDS = 10;
export const LATENESS_SECONDS = 2;

/**
 * The replay file of binance-zmq.test.ts: out-of-order events (some beyond the
 * lateness, so late) and malformed lines. `startTimeMs` moves event time.
 */
export async function writeFixture(
  dir: string,
  name: string,
  events: number,
  startTimeMs?: number,
  /** How far back every 13th event goes: beyond the lateness (the default) some are late, within it none. */
  outOfOrderLagMs = 3_500,
): Promise<{ input: string; fixture: ReplayFixture }> {
  const input = path.join(dir, `${name}.jsonl`);
  const fixture = await writeReplayFile(input, {
    symbols: SYMBOLS,
    events,
    stepMs: 30, // 7 symbols -> each symbol every 210 ms of event time: ~48 events per 10 s window
    seed: 7,
    outOfOrderEvery: 13,
    outOfOrderLagMs,
    malformedEvery: 97,
    ...(startTimeMs !== undefined ? { startTimeMs } : {}),
  });
  return { input, fixture };
}

export function kafkaEnv(brokers: string, topic: string): Record<string, string> {
  return { TRANSPORT: "kafka", KAFKA_BROKERS: brokers, BINANCE_TOPIC: topic };
}

export function startKafkaProcessor(
  brokers: string,
  topic: string,
  group: string,
  h5: string,
  extra: Record<string, string> = {},
): ServiceProcess {
  return new ServiceProcess("binance-processor", {
    ...kafkaEnv(brokers, topic),
    KAFKA_GROUP_ID: group,
    // A killed member is noticed after this long (the default 30 s would dominate the test).
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    BINANCE_H5_PATH: h5,
    WINDOW_SECONDS: String(WINDOW_SECONDS),
    ALLOWED_LATENESS_SECONDS: String(LATENESS_SECONDS),
    ...extra,
  });
}

export function startKafkaProducer(simUrl: string, brokers: string, topic: string): ServiceProcess {
  return new ServiceProcess("binance-producer", {
    ...kafkaEnv(brokers, topic),
    BINANCE_WS_URL: simUrl,
    BINANCE_RECONNECT_BASE_MS: "100",
  });
}

/** Partitions of `topic` in the newest "joined Kafka consumer group" log line, or undefined before any. */
export function assignedPartitions(p: ServiceProcess, topic: string): number[] | undefined {
  const joins = p.logs.filter((l) => l.msg === "joined Kafka consumer group");
  const last = joins[joins.length - 1];
  if (!last) return undefined;
  const assignment = (last.assignment ?? {}) as Record<string, number[]>;
  return assignment[topic] ?? [];
}

export interface ReferenceSummary {
  expected_windows: number;
  actual_windows: number;
  rows: number;
  files: number;
  counted_events: number;
  late: number;
  rejected: number;
  problems: string[];
  problem_count: number;
  open_windows?: number;
  open_events?: number;
  open_windows_with_partial_rows?: number;
}

/** Runs test/support/reference_binance.py on one or more files (a consumer group's replicas). */
export function runReference(
  input: string,
  h5s: readonly string[],
  extraArgs: readonly string[] = [],
): { status: number | null; summary: ReferenceSummary; stderr: string } {
  const r = runPython([
    path.join(ROOT, "test/support/reference_binance.py"),
    "--input",
    input,
    ...h5s.flatMap((f) => ["--h5", f]),
    "--stream",
    "ticker",
    "--window-ms",
    String(WINDOW_SECONDS * 1000),
    "--lateness-ms",
    String(LATENESS_SECONDS * 1000),
    "--symbols",
    SYMBOLS.join(","),
    ...extraArgs,
  ]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`reference failed (${r.status}): ${r.stderr}`);
  return { status: r.status, summary: JSON.parse(r.stdout) as ReferenceSummary, stderr: r.stderr };
}
