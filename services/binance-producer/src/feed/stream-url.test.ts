import { test } from "node:test";
import assert from "node:assert/strict";
import { combinedStreamUrl } from "./stream-url.js";

test("the combined stream URL lists every symbol's stream in lower case", () => {
  assert.equal(
    combinedStreamUrl("wss://stream.binance.com:9443/", ["BTCUSDT", "ethusdt"], "ticker"),
    "wss://stream.binance.com:9443/stream?streams=btcusdt@ticker/ethusdt@ticker",
  );
});

test("kline streams are added per symbol beside the main stream", () => {
  assert.equal(
    combinedStreamUrl("ws://sim", ["BTCUSDT", "ETHUSDT"], "aggTrade", ["kline_1m"]),
    "ws://sim/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m/ethusdt@aggTrade/ethusdt@kline_1m",
  );
});
