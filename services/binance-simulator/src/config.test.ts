import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@cryptostream/common";
import { simulatorConfigFromEnv } from "./config.js";

test("defaults match the brief", () => {
  const { options, exitOnReplayEnd } = simulatorConfigFromEnv({});
  assert.equal(options.host, "127.0.0.1");
  assert.equal(options.port, 9443);
  assert.deepEqual(options.symbols, ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"]);
  assert.equal(options.seed, undefined, "seeded from the clock unless SIM_SEED is set");
  assert.equal(options.intervalMs, 1000);
  assert.equal(options.pingIntervalMs, 20_000);
  assert.equal(options.pongTimeoutMs, 60_000);
  assert.equal(options.replayFile, undefined);
  assert.equal(options.replayResume, false);
  assert.equal(exitOnReplayEnd, false);
});

test("every variable is read", () => {
  const { options, exitOnReplayEnd } = simulatorConfigFromEnv({
    SIM_HOST: "0.0.0.0",
    SIM_PORT: "0",
    SIM_SYMBOLS: "BTCUSDT, ethusdt",
    SIM_SEED: "0",
    SIM_INTERVAL_MS: "1",
    SIM_RATE: "200000",
    SIM_PING_MS: "0",
    SIM_PONG_TIMEOUT_MS: "500",
    SIM_DROP_AFTER_MS: "1500",
    SIM_DROP_EVERY_MESSAGES: "100",
    SIM_DROP_STYLE: "reset",
    SIM_SERVER_SHUTDOWN_AFTER_MS: "3000",
    SIM_SERVER_SHUTDOWN_GRACE_MS: "10",
    SIM_SERVER_SHUTDOWN_FORMAT: "wrapped",
    SIM_REPLAY_FILE: "/tmp/x.jsonl",
    SIM_REPLAY_RATE: "50",
    SIM_REPLAY_RESUME: "true",
    SIM_REPLAY_EXIT: "true",
    SIM_MAX_BUFFERED_BYTES: "65536",
    SIM_TRADE_HISTORY: "500",
    SIM_MARKET_ALWAYS_ON: "true",
    SIM_REST_WEIGHT_LIMIT: "1200",
    SIM_REST_429_EVERY: "3",
    SIM_REST_418_EVERY: "0",
    SIM_REST_RETRY_AFTER_S: "2",
    SIM_FORCE_DROPS_AT_MS: "1000,2500",
  });
  assert.deepEqual(options, {
    host: "0.0.0.0",
    port: 0,
    symbols: ["btcusdt", "ethusdt"],
    seed: 0,
    intervalMs: 1,
    rate: 200000,
    pingIntervalMs: 0,
    pongTimeoutMs: 500,
    dropAfterMs: 1500,
    dropEveryMessages: 100,
    dropStyle: "reset",
    serverShutdownAfterMs: 3000,
    serverShutdownGraceMs: 10,
    serverShutdownFormat: "wrapped",
    replayFile: "/tmp/x.jsonl",
    replayRate: 50,
    replayResume: true,
    maxBufferedBytes: 65536,
    tradeHistory: 500,
    marketAlwaysOn: true,
    restWeightLimit: 1200,
    rest429Every: 3,
    rest418Every: 0,
    restRetryAfterS: 2,
    forceDropsAtMs: [1000, 2500],
  });
  assert.equal(exitOnReplayEnd, true);
});

test("bad values are all reported at once", () => {
  try {
    simulatorConfigFromEnv({
      SIM_PORT: "99999",
      SIM_INTERVAL_MS: "0",
      SIM_DROP_STYLE: "gentle",
      SIM_SYMBOLS: "btc-usdt",
    });
    assert.fail("expected a ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 4, err.message);
  }
});
