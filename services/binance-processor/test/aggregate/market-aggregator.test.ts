import { test } from "node:test";
import assert from "node:assert/strict";
import { windowRules } from "@cryptostream/common/window/window-book";
import {
  MarketAggregator,
  type ClosedWindow,
  type Reducer,
} from "@cryptostream/binance-processor/aggregate/market-aggregator";
import { finish } from "@cryptostream/binance-processor/aggregate/partial";
import { loadDanfo, reduceWithDanfo } from "@cryptostream/binance-processor/aggregate/reduce-danfo";
import { reduceWithLoop } from "./reduce-loop.js";
import { MicroBatch } from "@cryptostream/binance-processor/aggregate/micro-batch";
import { AGG_TRADE, TICKER, valueColumns } from "@cryptostream/binance-processor/aggregate/spec";

const WALL = 2_000_000_000_000;
const rules = windowRules(60, 5);

/** Direct mode by default (no micro-batch reducer). */
function agg(reduce?: Reducer, maxPending?: number) {
  return new MarketAggregator({ spec: TICKER, rules, reduce, maxPending });
}
/** Ticker values in spec order: c, b, a, v, q. */
const tick = (c: number, v = 1) => [c, c - 0.5, c + 0.5, v, v * c];
const row = (w: ClosedWindow) =>
  Object.fromEntries(valueColumns(TICKER).map((n, i) => [n, finish(TICKER, w.partial)[i]]));

test("a single event makes one window with that event's values", () => {
  const a = agg();
  a.add("BTCUSDT", 1_000, tick(100), WALL);
  const [w, ...rest] = a.drain();
  assert.equal(rest.length, 0);
  assert.equal(w!.windowStart, 0);
  assert.equal(w!.windowEnd, 60_000);
  assert.equal(w!.partial.count, 1);
  assert.equal(w!.complete, false);
  assert.deepEqual(row(w!), {
    price_first: 100,
    price_last: 100,
    price_mean: 100,
    price_min: 100,
    price_max: 100,
    price_sum: 100,
    bid_mean: 99.5,
    bid_sum: 99.5,
    ask_mean: 100.5,
    ask_sum: 100.5,
    volume_last: 1,
    quote_volume_last: 100,
  });
});

test("first and last follow event time, not arrival order; out-of-order events within lateness count", () => {
  const a = agg();
  a.add("BTCUSDT", 30_000, tick(3), WALL);
  a.add("BTCUSDT", 10_000, tick(1), WALL); // earlier event arrives later
  a.add("BTCUSDT", 50_000, tick(5), WALL);
  a.add("BTCUSDT", 62_000, tick(7), WALL); // next window, within lateness of the first
  a.add("BTCUSDT", 20_000, tick(2), WALL); // still on time
  assert.equal(a.takeClosed().length, 0);
  a.add("BTCUSDT", 65_000, tick(8), WALL); // closes [0, 60 s)
  const [w] = a.takeClosed();
  assert.equal(w!.complete, true);
  assert.equal(w!.partial.count, 4);
  assert.equal(w!.partial.timeFirst, 10_000);
  assert.equal(w!.partial.timeLast, 50_000);
  const r = row(w!);
  assert.equal(r.price_first, 1);
  assert.equal(r.price_last, 5);
  assert.equal(r.price_min, 1);
  assert.equal(r.price_max, 5);
  assert.equal(r.price_mean, (1 + 2 + 3 + 5) / 4);
});

test("late events are refused and do not change closed windows", () => {
  const a = agg();
  a.add("BTCUSDT", 10_000, tick(1), WALL);
  a.add("BTCUSDT", 70_000, tick(2), WALL);
  assert.equal(a.takeClosed().length, 1);
  assert.equal(a.add("BTCUSDT", 59_999, tick(999), WALL), "late");
  const rest = a.drain();
  assert.equal(rest.length, 1);
  assert.equal(rest[0]!.windowStart, 60_000);
  assert.equal(rest[0]!.partial.count, 1);
});

test("equal event times: first keeps the earliest arrival, last the latest", () => {
  const a = agg(reduceWithLoop, 2); // reduce every 2 events: ties cross micro-batches
  for (const c of [1, 2, 3, 4, 5]) a.add("BTCUSDT", 5_000, tick(c), WALL);
  const [w] = a.drain();
  assert.equal(row(w!).price_first, 1);
  assert.equal(row(w!).price_last, 5);
});

test("many symbols keep separate windows, in direct and micro-batch mode alike", () => {
  for (const a of [agg(), agg(reduceWithLoop, 7)]) {
    const symbols = Array.from({ length: 50 }, (_, i) => `SYM${i}`);
    for (let t = 0; t < 180_000; t += 1000) symbols.forEach((s, i) => a.add(s, t, tick(i + t / 1000), WALL));
    const closed = a.takeClosed();
    assert.equal(closed.length, 50 * 2); // [0,60) and [60,120) closed by t >= 125 s
    for (const w of closed) assert.equal(w.partial.count, 60);
    const s7 = closed.filter((w) => w.symbol === "SYM7");
    assert.deepEqual(
      s7.map((w) => row(w).price_first),
      [7, 67],
    );
  }
});

test("the wall clock closes windows of a symbol that went quiet", () => {
  const a = agg();
  a.add("BTCUSDT", WALL - 30_000, tick(1), WALL - 30_000);
  a.tick(WALL - 29_000);
  assert.equal(a.takeClosed().length, 0);
  a.tick(WALL + 120_000);
  assert.equal(a.takeClosed().length, 1);
  assert.equal(a.openWindowCount(), 0);
});

test("the danfojs reduction agrees with the plain loop on random input", async () => {
  const dfd = await loadDanfo();
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const batch = new MicroBatch(AGG_TRADE.fields.length);
  for (let i = 0; i < 5_000; i++) {
    const t = Math.floor(rnd() * 300_000);
    const [p, q, m] = [100 + rnd(), rnd() * 3, rnd() < 0.5 ? 1 : 0];
    const n = 1 + Math.floor(rnd() * 4);
    // One value per AGG_TRADE field: price, volume, quote, trades, taker buy volume and quote.
    batch.push(`S${Math.floor(rnd() * 5)}`, Math.floor(t / 60_000) * 60_000, t, [p, q, p * q, n, q * m, p * q * m]);
  }
  const viaLoop = reduceWithLoop(batch);
  const viaDanfo = reduceWithDanfo(dfd, batch);
  assert.deepEqual([...viaDanfo.keys()], [...viaLoop.keys()]);
  for (const [k, g] of viaLoop) {
    const d = viaDanfo.get(k)!.partial;
    const l = g.partial;
    assert.equal(d.count, l.count);
    assert.equal(d.timeFirst, l.timeFirst);
    assert.equal(d.timeLast, l.timeLast);
    assert.deepEqual([...d.first], [...l.first]);
    assert.deepEqual([...d.last], [...l.last]);
    assert.deepEqual([...d.min], [...l.min]);
    assert.deepEqual([...d.max], [...l.max]);
    for (let i = 0; i < l.sum.length; i++) assert.ok(Math.abs(d.sum[i]! - l.sum[i]!) <= 1e-9 * Math.abs(l.sum[i]!));
  }
});
