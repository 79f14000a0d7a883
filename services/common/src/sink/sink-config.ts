/** The sink variables, read the same way for every processor (`prefix` = BINANCE or TWITTER). */
import { int, num, readEnv } from "../config/env.js";
import type { BackoffPolicy } from "../retry/backoff.js";

export interface SinkConfig {
  readonly flushMs: number;
  readonly maxPendingRows: number;
  /**
   * Most of the time spent writing: every flush copies the whole file (crash safety), so as
   * the file grows a flush waits after the previous one for (1 / share - 1) times its length.
   */
  readonly maxWriteShare: number;
  /** After the transport was away (Kafka brokers down), how long the wall clock closes no window. */
  readonly transportHoldMs: number;
  readonly retry: BackoffPolicy;
}

export function sinkEnv(prefix: string, defaults: { flushSeconds: number; maxPendingRows: number }) {
  return {
    /** Closed windows are written together at most this long after the first closed (0 = every batch). */
    [`${prefix}_FLUSH_SECONDS`]: num(defaults.flushSeconds, 0, 3_600),
    /** Rows waiting behind failing writes beyond which intake pauses. */
    [`${prefix}_MAX_PENDING_ROWS`]: int(defaults.maxPendingRows, 1),
    /** Most of the wall-clock time spent writing the file (1: write whenever due). */
    SINK_MAX_WRITE_SHARE: num(0.25, 0.01, 1),
    /**
     * After the brokers were away, the wall clock closes no window for this long, so that what
     * the producers held meanwhile is not late (their clients retry up to 10 s apart).
     */
    SINK_TRANSPORT_HOLD_SECONDS: num(30, 0, 3_600),
    SINK_RETRY_BASE_MS: int(500, 1),
    SINK_RETRY_MAX_MS: int(30_000, 1),
  };
}

export function readSinkConfig(
  prefix: string,
  defaults: { flushSeconds: number; maxPendingRows: number },
  env: NodeJS.ProcessEnv = process.env,
): SinkConfig {
  const v = readEnv(sinkEnv(prefix, defaults), env) as Record<string, number>;
  return {
    flushMs: v[`${prefix}_FLUSH_SECONDS`]! * 1000,
    maxPendingRows: v[`${prefix}_MAX_PENDING_ROWS`]!,
    maxWriteShare: v.SINK_MAX_WRITE_SHARE!,
    transportHoldMs: v.SINK_TRANSPORT_HOLD_SECONDS! * 1000,
    retry: {
      baseMs: v.SINK_RETRY_BASE_MS!,
      maxMs: Math.max(v.SINK_RETRY_MAX_MS!, v.SINK_RETRY_BASE_MS!),
      floorMs: 100,
    },
  };
}
