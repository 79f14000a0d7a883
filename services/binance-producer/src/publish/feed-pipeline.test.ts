import { test } from "node:test";
import assert from "node:assert/strict";
import { Registry, Rejections, silentLogger } from "@cryptostream/common";
import { FeedPipeline } from "./feed-pipeline.js";

function pipeline() {
  const registry = new Registry();
  const published: Array<{ key: string; data: Record<string, unknown> }> = [];
  const metrics = {
    duplicates: registry.counter("d", "d"),
    markers: registry.counter("m", "m"),
    backfilled: registry.counter("b", "b"),
    unfilled: registry.counter("u", "u"),
  };
  const rejects = registry.counter("r", "r");
  const p = new FeedPipeline({
    stream: "ticker",
    symbols: ["btcusdt", "ethusdt"],
    klineStreams: ["kline_1m"],
    publish: (key, text) => published.push({ key, data: (JSON.parse(text) as { data: Record<string, unknown> }).data }),
    onEventTime: () => undefined,
    backfill: undefined,
    maxQueued: 100,
    metrics,
    rejections: new Rejections(rejects, silentLogger),
    log: silentLogger,
  });
  return { p, published, metrics, rejects };
}

const ticker = (s: string, E: number) =>
  JSON.stringify({ stream: `${s.toLowerCase()}@ticker`, data: { e: "24hrTicker", E, s } });
const kline = (s: string, t: number, x: boolean) =>
  JSON.stringify({ stream: `${s.toLowerCase()}@kline_1m`, data: { e: "kline", E: t + 1, s, k: { t, x } } });

test("closed klines are published once per stream and start; open ones are not", () => {
  const { p, published, metrics } = pipeline();
  assert.equal(p.frame(kline("BTCUSDT", 60_000, false), 1), "data");
  p.frame(kline("BTCUSDT", 60_000, true), 1);
  p.frame(kline("BTCUSDT", 60_000, true), 2); // the roll-over's new connection repeats it
  p.frame(kline("ETHUSDT", 60_000, true), 2);
  assert.deepEqual(
    published.map((m) => `${m.key}:${(m.data.k as { t: number }).t}`),
    ["BTCUSDT:60000", "ETHUSDT:60000"],
  );
  assert.equal(metrics.duplicates.get({ stream: "kline" }), 1);
});

test("a loss then data: one marker per configured symbol, before that symbol's next event", async () => {
  const { p, published } = pipeline();
  p.frame(ticker("BTCUSDT", 100), 1);
  p.frame(ticker("ETHUSDT", 120), 1);
  p.lost("stale");
  p.frame(ticker("ETHUSDT", 500), 2);
  p.frame(ticker("BTCUSDT", 510), 2);
  await p.settle(false);
  // Order holds per symbol (the key); symbols are independent lanes.
  const of = (key: string) => published.filter((m) => m.key === key).map((m) => `${m.data.e}:${m.data.E}`);
  assert.deepEqual(of("BTCUSDT"), ["24hrTicker:100", "gap:500", "24hrTicker:510"]);
  assert.deepEqual(of("ETHUSDT"), ["24hrTicker:120", "gap:500", "24hrTicker:500"]);
  const marker = published.find((m) => m.data.e === "gap")!.data;
  assert.deepEqual(
    { from: marker.from, to: marker.to, cause: marker.cause, symbols: marker.symbols },
    { from: 120, to: 500, cause: "stale", symbols: ["BTCUSDT", "ETHUSDT"] },
  );
});

test("events of a symbol not subscribed and malformed frames are rejected and counted", () => {
  const { p, published, rejects } = pipeline();
  assert.equal(p.frame(ticker("XRPUSDT", 1), 1), "other");
  assert.equal(p.frame("nope", 1), "other");
  assert.equal(published.length, 0);
  assert.equal(rejects.get({ reason: "unknown_symbol" }), 1);
  assert.equal(rejects.get({ reason: "malformed_frame" }), 1);
});

test("gap markers already in the input (a replayed recording) pass through keyed by symbol, unvalidated", () => {
  const { p, published, metrics, rejects } = pipeline();
  const marker = (s: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ stream: `${s.toLowerCase()}@ticker`, data: { e: "gap", E: 5, s, ...extra } });
  assert.equal(p.frame(marker("BTCUSDT", { from: 1, to: 5, cause: "drop" }), 1), "data");
  assert.equal(p.frame(marker("ETHUSDT"), 1), "data", "the processor, not the producer, rejects a bad marker");
  assert.equal(p.frame(marker("XRPUSDT"), 1), "other");
  assert.deepEqual(
    published.map((m) => [m.key, m.data.e, m.data.from]),
    [
      ["BTCUSDT", "gap", 1],
      ["ETHUSDT", "gap", undefined],
    ],
  );
  assert.equal(metrics.markers.get(), 0, "not counted as the producer's own markers");
  assert.equal(rejects.get({ reason: "unknown_symbol" }), 1);
});
