import { test } from "node:test";
import assert from "node:assert/strict";
import { dropRepeats, isWindowTable, mergeWindowRows, type WindowRow } from "./merge-windows.js";

const market = (o: Partial<Record<string, number>>): WindowRow => ({
  window_start: 0,
  window_end: 60_000,
  count: 2,
  event_time_first: 1_000,
  event_time_last: 2_000,
  complete: 1,
  price_first: 10,
  price_last: 11,
  price_mean: 10.5,
  price_min: 10,
  price_max: 11,
  price_sum: 21,
  volume_last: 5,
  log_partition: -1,
  log_offset_first: -1,
  log_offset_last: -1,
  ...o,
});

test("a window split by a restart becomes one row by the documented rule", () => {
  const a = market({
    complete: 0,
    count: 2,
    event_time_first: 1_000,
    event_time_last: 20_000,
    price_first: 10,
    price_last: 12,
    price_min: 9,
    price_max: 12,
    price_sum: 21,
    volume_last: 5,
  });
  const b = market({
    count: 3,
    event_time_first: 25_000,
    event_time_last: 50_000,
    price_first: 13,
    price_last: 8,
    price_min: 8,
    price_max: 14,
    price_sum: 33,
    volume_last: 7,
  });
  const [m, ...rest] = mergeWindowRows([b, a]);
  assert.equal(rest.length, 0);
  assert.deepEqual(m, {
    window_start: 0,
    window_end: 60_000,
    count: 5,
    event_time_first: 1_000,
    event_time_last: 50_000,
    complete: 1,
    price_first: 10, // from the row with the smallest event_time_first
    price_last: 8, // from the row with the largest event_time_last
    price_mean: 54 / 5,
    price_min: 8,
    price_max: 14,
    price_sum: 54,
    volume_last: 7,
    log_partition: -1,
    log_offset_first: -1,
    log_offset_last: -1,
  });
});

test("a row whose log range lies inside another's of the same window and partition is a repeat", () => {
  const whole = market({ log_partition: 2, log_offset_first: 100, log_offset_last: 180, count: 9 });
  const repeat = market({ log_partition: 2, log_offset_first: 120, log_offset_last: 150, count: 4 });
  const twin = market({ log_partition: 2, log_offset_first: 100, log_offset_last: 180, count: 9 });
  const otherPartition = market({ log_partition: 3, log_offset_first: 120, log_offset_last: 150, count: 4 });
  assert.deepEqual(dropRepeats([repeat, whole, twin, otherPartition]), [whole, otherPartition]);
  const [m] = mergeWindowRows([repeat, whole, twin, otherPartition]);
  assert.equal(m!.count, 13);
  assert.equal(m!.log_partition, -1, "rows of two partitions: no single partition");
  assert.equal(m!.log_offset_first, -1);
});

test("without a log (-1) no row is a repeat, even with equal ranges", () => {
  const a = market({ complete: 0 });
  const b = market({});
  assert.equal(dropRepeats([a, b]).length, 2);
  assert.equal(mergeWindowRows([a, b])[0]!.count, 4);
});

test("sentiment rows: counts and sums add up, the mean comes from them; text columns keep windows apart", () => {
  const s = (o: Record<string, number | string>): WindowRow => ({
    window_start: 0,
    window_end: 10_000,
    count: 2,
    score_mean: 0.5,
    score_sum: 1,
    positive: 1,
    neutral: 1,
    negative: 0,
    complete: 0,
    log_partition: -1,
    log_offset_first: -1,
    log_offset_last: -1,
    ...o,
  });
  const merged = mergeWindowRows([
    s({ source: "twitter" }),
    s({
      source: "twitter",
      count: 3,
      score_sum: -0.3,
      score_mean: -0.1,
      positive: 0,
      neutral: 2,
      negative: 1,
      complete: 1,
    }),
    s({ source: "bluesky", window_start: 0 }),
    s({ source: "twitter", window_start: 10_000, window_end: 20_000 }),
  ]);
  assert.equal(merged.length, 3);
  const t = merged.find((r) => r.source === "twitter" && r.window_start === 0)!;
  assert.equal(t.count, 5);
  assert.ok(Math.abs(Number(t.score_mean) - 0.7 / 5) < 1e-15);
  assert.deepEqual([t.positive, t.neutral, t.negative, t.complete], [1, 3, 1, 1]);
  assert.deepEqual(
    merged.map((r) => [r.window_start, r.source]),
    [
      [0, "twitter"],
      [0, "bluesky"],
      [10_000, "twitter"],
    ],
  );
});

test("only tables of windows are merged", () => {
  assert.equal(isWindowTable(["window_start", "window_end", "count", "price_first"]), true);
  assert.equal(isWindowTable(["id", "created_at", "window_start", "text"]), false);
});

test("aggTrade candle rows merge as klines: open first, close last, high/low extremes, sums add, vwap from sums, gap the worst", () => {
  const base = { window_start: 0, window_end: 60_000, log_partition: -1, log_offset_first: -1, log_offset_last: -1 };
  const a: WindowRow = {
    ...base,
    count: 2,
    event_time_first: 10,
    event_time_last: 20,
    complete: 0,
    gap: 0,
    open: 5,
    high: 7,
    low: 4,
    close: 6,
    volume: 2,
    quote_volume: 11,
    trade_count: 3,
    vwap: 5.5,
  };
  const b: WindowRow = {
    ...base,
    count: 1,
    event_time_first: 5,
    event_time_last: 30,
    complete: 1,
    gap: 2,
    open: 3,
    high: 3,
    low: 3,
    close: 3,
    volume: 1,
    quote_volume: 3,
    trade_count: 1,
    vwap: 3,
  };
  const empty: WindowRow = {
    ...base,
    count: 0,
    event_time_first: -1,
    event_time_last: -1,
    complete: 1,
    gap: 1,
    open: NaN,
    high: NaN,
    low: NaN,
    close: NaN,
    volume: 0,
    quote_volume: 0,
    trade_count: 0,
    vwap: NaN,
  };
  const [m] = mergeWindowRows([a, empty, b]);
  assert.deepEqual(m, {
    ...base,
    count: 3,
    event_time_first: 5,
    event_time_last: 30,
    complete: 1,
    gap: 2,
    open: 3,
    high: 7,
    low: 3,
    close: 3,
    volume: 3,
    quote_volume: 14,
    trade_count: 4,
    vwap: 14 / 3,
  });
});
