import { test } from "node:test";
import assert from "node:assert/strict";
import type { WindowRow } from "@cryptostream/common/hdf5/merge-windows";
import { marketPoints, volumeColumn } from "./candles.js";

const row = (start: number, o: Record<string, number> = {}): WindowRow => ({
  window_start: start,
  window_end: start + 60_000,
  count: 4,
  event_time_first: start + 1,
  event_time_last: start + 59_000,
  complete: 1,
  price_first: 100,
  price_last: 103,
  price_mean: 101,
  price_min: 99,
  price_max: 104,
  price_sum: 404,
  log_partition: -1,
  log_offset_first: -1,
  log_offset_last: -1,
  ...o,
});

test("a window is a candle: open = price_first, high = price_max, low = price_min, close = price_last", () => {
  assert.deepEqual(marketPoints([row(60_000)]), [
    { time: 60, open: 100, high: 104, low: 99, close: 103, volume: 4, partial: false, gap: 0 },
  ]);
});

test("aggTrade volume is qty_sum, ticker volume the event count", () => {
  assert.equal(volumeColumn(["count", "price_first"]), "count");
  assert.equal(volumeColumn(["count", "qty_sum"]), "qty_sum");
  assert.equal(marketPoints([row(0, { qty_sum: 2.5 })])[0]!.volume, 2.5);
});

test("partial rows of one window make one candle; a window with only partial rows is marked", () => {
  const pts = marketPoints([
    row(0, { complete: 0, count: 1, event_time_last: 10_000, price_last: 101, price_max: 101, price_sum: 100 }),
    row(0, { count: 3, event_time_first: 20_000, price_first: 102, price_min: 95, price_sum: 300 }),
    row(60_000, { complete: 0 }),
  ]);
  assert.deepEqual(pts[0], { time: 0, open: 100, high: 104, low: 95, close: 103, volume: 4, partial: false, gap: 0 });
  assert.equal(pts[1]!.partial, true);
});

test("only the newest maxWindows windows are kept", () => {
  const rows = Array.from({ length: 10 }, (_, i) => row(i * 60_000));
  assert.deepEqual(
    marketPoints(rows, 3).map((p) => p.time),
    [420, 480, 540],
  );
});

const candle = (start: number, o: Record<string, number> = {}): WindowRow => ({
  window_start: start,
  window_end: start + 60_000,
  count: 3,
  event_time_first: start + 1,
  event_time_last: start + 59_000,
  complete: 1,
  gap: 0,
  open: 50,
  high: 55,
  low: 48,
  close: 52,
  volume: 7.5,
  quote_volume: 380,
  trade_count: 9,
  taker_buy_volume: 3,
  taker_buy_quote_volume: 150,
  vwap: 380 / 7.5,
  log_partition: -1,
  log_offset_first: -1,
  log_offset_last: -1,
  ...o,
});

test("an aggTrade candle row (schema 3) draws its own open/high/low/close and base volume; a window without trades is a point only when an unfilled gap says it is missing", () => {
  assert.equal(volumeColumn(Object.keys(candle(0))), "volume");
  const pts = marketPoints([
    candle(0),
    candle(60_000, { count: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, gap: 2 }),
    candle(90_000, { count: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, gap: 1 }), // quiet, and covered
    candle(120_000, { open: 52, gap: 1 }),
    candle(120_000, { count: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, gap: 2 }), // a late marker's row
  ]);
  assert.deepEqual(pts, [
    { time: 0, open: 50, high: 55, low: 48, close: 52, volume: 7.5, partial: false, gap: 0 },
    { time: 60, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, partial: false, gap: 2, missing: true },
    { time: 120, open: 52, high: 55, low: 48, close: 52, volume: 7.5, partial: false, gap: 2 },
  ]);
});
