/**
 * The simulator's environment variables (SIM_*), validated with readEnv and
 * turned into SimulatorOptions.
 */

import { bool, int, list, num, oneOf, readEnv, str } from "@cryptostream/common";
import { DEFAULT_SYMBOLS, type SimulatorOptions } from "./options.js";

export const SIMULATOR_ENV = {
  SIM_HOST: str("127.0.0.1"),
  SIM_PORT: int(9443, 0, 65535),
  SIM_SYMBOLS: list([...DEFAULT_SYMBOLS], /^[A-Za-z0-9]+$/),
  /** -1 seeds from the clock. */
  SIM_SEED: int(-1, -1, 4294967295),
  SIM_INTERVAL_MS: int(1000, 1),
  /** Total events per second over all streams; 0 uses SIM_INTERVAL_MS. */
  SIM_RATE: num(0, 0),
  SIM_PING_MS: int(20_000, 0),
  SIM_PONG_TIMEOUT_MS: int(60_000, 1),
  SIM_DROP_AFTER_MS: int(0, 0),
  SIM_DROP_EVERY_MESSAGES: int(0, 0),
  SIM_DROP_STYLE: oneOf(["flush", "reset"] as const, "flush"),
  SIM_SERVER_SHUTDOWN_AFTER_MS: int(0, 0),
  SIM_SERVER_SHUTDOWN_GRACE_MS: int(1000, 0),
  SIM_SERVER_SHUTDOWN_FORMAT: oneOf(["raw", "wrapped"] as const, "raw"),
  SIM_TRADE_HISTORY: int(20_000, 0),
  SIM_MARKET_ALWAYS_ON: bool(false),
  SIM_REST_WEIGHT_LIMIT: int(6000, 1),
  SIM_REST_429_EVERY: int(0, 0),
  SIM_REST_418_EVERY: int(0, 0),
  SIM_REST_RETRY_AFTER_S: int(1, 0),
  /** Comma-separated ms after start at which every open connection is cut. */
  SIM_FORCE_DROPS_AT_MS: list([], /^\d+$/),
  /** Empty: generate data; a path: replay that JSON-lines file. */
  SIM_REPLAY_FILE: str(""),
  SIM_REPLAY_RATE: num(0, 0),
  SIM_REPLAY_RESUME: bool(false),
  /** true: stop the process (exit 0) once the replay has sent its last line; false: idle. */
  SIM_REPLAY_EXIT: bool(false),
  SIM_MAX_BUFFERED_BYTES: int(4 * 1024 * 1024, 1024),
};

export interface SimulatorConfig {
  readonly options: SimulatorOptions;
  readonly exitOnReplayEnd: boolean;
}

export function simulatorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const e = readEnv(SIMULATOR_ENV, env);
  return {
    options: {
      host: e.SIM_HOST,
      port: e.SIM_PORT,
      symbols: e.SIM_SYMBOLS.map((s) => s.toLowerCase()),
      ...(e.SIM_SEED >= 0 ? { seed: e.SIM_SEED } : {}),
      intervalMs: e.SIM_INTERVAL_MS,
      rate: e.SIM_RATE,
      pingIntervalMs: e.SIM_PING_MS,
      pongTimeoutMs: e.SIM_PONG_TIMEOUT_MS,
      dropAfterMs: e.SIM_DROP_AFTER_MS,
      dropEveryMessages: e.SIM_DROP_EVERY_MESSAGES,
      dropStyle: e.SIM_DROP_STYLE,
      serverShutdownAfterMs: e.SIM_SERVER_SHUTDOWN_AFTER_MS,
      serverShutdownGraceMs: e.SIM_SERVER_SHUTDOWN_GRACE_MS,
      serverShutdownFormat: e.SIM_SERVER_SHUTDOWN_FORMAT,
      tradeHistory: e.SIM_TRADE_HISTORY,
      marketAlwaysOn: e.SIM_MARKET_ALWAYS_ON,
      restWeightLimit: e.SIM_REST_WEIGHT_LIMIT,
      rest429Every: e.SIM_REST_429_EVERY,
      rest418Every: e.SIM_REST_418_EVERY,
      restRetryAfterS: e.SIM_REST_RETRY_AFTER_S,
      forceDropsAtMs: e.SIM_FORCE_DROPS_AT_MS.map(Number),
      ...(e.SIM_REPLAY_FILE ? { replayFile: e.SIM_REPLAY_FILE } : {}),
      replayRate: e.SIM_REPLAY_RATE,
      replayResume: e.SIM_REPLAY_RESUME,
      maxBufferedBytes: e.SIM_MAX_BUFFERED_BYTES,
    },
    exitOnReplayEnd: e.SIM_REPLAY_EXIT,
  };
}
