import { test } from "node:test";
import assert from "node:assert/strict";
import { KlineStarts } from "./kline-starts.js";

test("a kline start is new once per symbol", () => {
  const k = new KlineStarts(10);
  assert.equal(k.add("BTCUSDT", 60_000), true);
  assert.equal(k.add("BTCUSDT", 60_000), false);
  assert.equal(k.add("ETHUSDT", 60_000), true);
});

test("memory is bounded: starts older than the newest `keep` are known by a floor", () => {
  const k = new KlineStarts(3);
  for (let t = 1; t <= 5; t++) assert.equal(k.add("BTCUSDT", t * 60_000), true);
  // 1 and 2 were forgotten exactly but lie at or below the floor: still recognised.
  assert.equal(k.add("BTCUSDT", 60_000), false);
  assert.equal(k.add("BTCUSDT", 120_000), false);
  assert.equal(k.add("BTCUSDT", 300_000), false);
  assert.equal(k.add("BTCUSDT", 360_000), true);
});

test("seeded from a file's newest rows, with the floor of the rows not read", () => {
  const k = new KlineStarts(3);
  k.seed("BTCUSDT", [240_000, 300_000], 180_000);
  assert.equal(k.add("BTCUSDT", 60_000), false);
  assert.equal(k.add("BTCUSDT", 240_000), false);
  assert.equal(k.add("BTCUSDT", 360_000), true);
});
