import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "@cryptostream/common";
import { combinedStreamUrl, connectionSymbols } from "./stream-url.js";

test("the combined stream URL lists every symbol's stream in lower case", () => {
  assert.equal(
    combinedStreamUrl("wss://stream.binance.com:9443/", ["BTCUSDT", "ethusdt"], "ticker"),
    "wss://stream.binance.com:9443/stream?streams=btcusdt@ticker/ethusdt@ticker",
  );
});

test("a base copied with its raw (/ws) or combined (/stream) path still names the combined endpoint", () => {
  for (const base of ["wss://stream.binance.com:9443/ws", "wss://stream.binance.com:9443/stream/", "ws://sim/ws"])
    assert.match(combinedStreamUrl(base, ["BTCUSDT"], "ticker"), /^wss?:\/\/[^/]+\/stream\?streams=btcusdt@ticker$/);
});

test("kline streams are added per symbol beside the main stream", () => {
  assert.equal(
    combinedStreamUrl("ws://sim", ["BTCUSDT", "ETHUSDT"], "aggTrade", ["kline_1m"]),
    "ws://sim/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m/ethusdt@aggTrade/ethusdt@kline_1m",
  );
});

test("symbols are taken once each, and more than 1024 streams on one connection is a configuration error", () => {
  assert.deepEqual(connectionSymbols(["BTCUSDT", "btcusdt", "ETHUSDT"], 2), ["btcusdt", "ethusdt"]);
  const many = Array.from({ length: 512 }, (_, i) => `sym${i}usdt`);
  assert.equal(connectionSymbols(many, 2).length, 512, "exactly 1024 streams is allowed");
  assert.throws(
    () => connectionSymbols(many, 3),
    (err: unknown) => err instanceof ConfigError && /1536 streams.*at most 1024/.test(err.message),
  );
});
