/**
 * Everything the simulator can be told, with defaults. The same options come
 * from the environment (config.ts) or from code (tests, demo, bench).
 */

import type { Logger, Registry } from "@cryptostream/common";
import type { MarketPayload } from "./payloads.js";

export type DropStyle = "flush" | "reset";
export type ShutdownEventFormat = "raw" | "wrapped";

export interface SimulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 9443 (Binance's). */
  readonly port?: number;
  /** Markets that produce data; streams of other symbols are accepted and stay silent. */
  readonly symbols?: readonly string[];
  /** Seed of the random walks; default from the clock. */
  readonly seed?: number;
  /** Per-stream update interval in ms; default 1000 (one update per stream per second). */
  readonly intervalMs?: number;
  /** Total generated events per second over all subscribed streams; overrides intervalMs when > 0. */
  readonly rate?: number;
  /** Source of event times ("E"); default Date.now. */
  readonly clock?: () => number;
  /** Interval between server pings; default 20 000 (as Binance). 0 disables pings. */
  readonly pingIntervalMs?: number;
  /** Time allowed for a pong after a ping before the connection is cut; default 60 000. */
  readonly pongTimeoutMs?: number;
  /** Cut each connection this long after it opened; 0 = never. */
  readonly dropAfterMs?: number;
  /** Cut each connection after it has sent this many data messages; 0 = never. */
  readonly dropEveryMessages?: number;
  /**
   * How a drop cuts the connection, always between two frames and without a
   * websocket close frame (the client sees code 1006):
   * "flush" half-closes TCP after everything already sent (nothing is lost),
   * "reset" sends a TCP RST at once (data still in buffers may be lost).
   */
  readonly dropStyle?: DropStyle;
  /** Send serverShutdown this long after each connection opened; 0 = never. */
  readonly serverShutdownAfterMs?: number;
  /** Time between serverShutdown and the close (code 1001); default 1000. */
  readonly serverShutdownGraceMs?: number;
  /** "raw": {"e":"serverShutdown","E":...}; "wrapped": {"event":{...}} as the WebSocket API sends it. */
  readonly serverShutdownFormat?: ShutdownEventFormat;
  /** Aggregate trades kept per symbol for GET /api/v3/aggTrades; 0 disables the history. Default 20 000. */
  readonly tradeHistory?: number;
  /** Streams keep generating after their last subscriber left, so a reconnecting client really misses events. */
  readonly marketAlwaysOn?: boolean;
  /** REST REQUEST_WEIGHT limit per minute; default 6000 (Binance spot). */
  readonly restWeightLimit?: number;
  /** Answer every Nth REST request with 429; 0 = never. */
  readonly rest429Every?: number;
  /** Answer every Nth REST request with 418 (banned); 0 = never. */
  readonly rest418Every?: number;
  /** Retry-After seconds of an injected 429 or 418; default 1. */
  readonly restRetryAfterS?: number;
  /** Cut every open connection at these times (ms after start), in dropStyle. */
  readonly forceDropsAtMs?: readonly number[];
  /** Sees every generated event, sent or not (tests). */
  readonly onEvent?: (stream: string, data: MarketPayload) => void;
  /** JSON-lines file to replay instead of generating data. */
  readonly replayFile?: string;
  /** Replay lines per second per connection; 0 = as fast as the client reads. */
  readonly replayRate?: number;
  /** One shared cursor over the file, so reconnecting clients continue where the last one stopped. */
  readonly replayResume?: boolean;
  /** Called once when the replay has sent its last line. */
  readonly onReplayEnd?: () => void;
  /** Per-connection send buffer above which the simulator waits for the client. Default 4 MiB. */
  readonly maxBufferedBytes?: number;
  readonly log?: Logger;
  /** Where to register metrics; a private registry when absent. */
  readonly registry?: Registry;
}

export interface ResolvedOptions
  extends Required<Omit<SimulatorOptions, "replayFile" | "onReplayEnd" | "log" | "registry" | "onEvent">> {
  readonly replayFile: string | undefined;
  readonly onReplayEnd: (() => void) | undefined;
}

export const DEFAULT_SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"] as const;

export function resolveOptions(o: SimulatorOptions, clockSeed: () => number): ResolvedOptions {
  const positive = (name: string, v: number | undefined, fallback: number): number => {
    const n = v ?? fallback;
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${n}`);
    return n;
  };
  const intervalMs = positive("intervalMs", o.intervalMs, 1000);
  if (intervalMs === 0 && !o.rate) throw new Error("intervalMs must be > 0 (or set rate)");
  return {
    host: o.host ?? "127.0.0.1",
    port: positive("port", o.port, 9443),
    symbols: (o.symbols ?? DEFAULT_SYMBOLS).map((s) => s.toLowerCase()),
    seed: o.seed ?? clockSeed(),
    intervalMs,
    rate: positive("rate", o.rate, 0),
    clock: o.clock ?? Date.now,
    pingIntervalMs: positive("pingIntervalMs", o.pingIntervalMs, 20_000),
    pongTimeoutMs: positive("pongTimeoutMs", o.pongTimeoutMs, 60_000),
    dropAfterMs: positive("dropAfterMs", o.dropAfterMs, 0),
    dropEveryMessages: positive("dropEveryMessages", o.dropEveryMessages, 0),
    dropStyle: o.dropStyle ?? "flush",
    serverShutdownAfterMs: positive("serverShutdownAfterMs", o.serverShutdownAfterMs, 0),
    serverShutdownGraceMs: positive("serverShutdownGraceMs", o.serverShutdownGraceMs, 1000),
    serverShutdownFormat: o.serverShutdownFormat ?? "raw",
    tradeHistory: positive("tradeHistory", o.tradeHistory, 20_000),
    marketAlwaysOn: o.marketAlwaysOn ?? false,
    restWeightLimit: positive("restWeightLimit", o.restWeightLimit, 6000),
    rest429Every: positive("rest429Every", o.rest429Every, 0),
    rest418Every: positive("rest418Every", o.rest418Every, 0),
    restRetryAfterS: positive("restRetryAfterS", o.restRetryAfterS, 1),
    forceDropsAtMs: (o.forceDropsAtMs ?? []).map((t) => positive("forceDropsAtMs", t, 0)),
    replayFile: o.replayFile || undefined,
    replayRate: positive("replayRate", o.replayRate, 0),
    replayResume: o.replayResume ?? false,
    onReplayEnd: o.onReplayEnd,
    maxBufferedBytes: positive("maxBufferedBytes", o.maxBufferedBytes, 4 * 1024 * 1024),
  };
}
