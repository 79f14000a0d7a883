import { test } from "node:test";
import assert from "node:assert/strict";
import { addEvent, emptyPartial, finish } from "./partial.js";
import type { ClosedWindow } from "./market-aggregator.js";
import { loadDanfo } from "./reduce-danfo.js";
import { TICKER, valueColumns } from "./spec.js";
import { KEY_COLUMN_NAMES, ORIGIN_COLUMN_NAMES, windowFrame } from "./window-frame.js";

function closed(symbol: string, windowStart: number, prices: number[], complete = true): ClosedWindow {
  const p = emptyPartial(TICKER.fields.length);
  prices.forEach((c, i) => addEvent(p, windowStart + i * 1000, [c, c - 1, c + 1, 10 + i, 100 + i]));
  return { symbol, windowStart, windowEnd: windowStart + 60_000, partial: p, complete };
}

test("the DataFrame transformation gives, per symbol, the finished values of each window", async () => {
  const dfd = await loadDanfo();
  const windows = [
    closed("BTCUSDT", 0, [3, 1, 2]),
    closed("ETHUSDT", 0, [10]),
    closed("BTCUSDT", 60_000, [5, 7], false),
  ];
  const origins = [
    { partition: 2, first: 10, last: 40 },
    { partition: -1, first: -1, last: -1 },
    { partition: 2, first: 41, last: 60 },
  ];
  const tables = windowFrame(dfd, TICKER, windows, origins);
  assert.deepEqual([...tables.keys()], ["BTCUSDT", "ETHUSDT"]);
  const btc = tables.get("BTCUSDT")!;
  assert.deepEqual([...btc.keys()], [...KEY_COLUMN_NAMES, ...valueColumns(TICKER), ...ORIGIN_COLUMN_NAMES]);
  assert.deepEqual(btc.get("log_offset_first"), [10, 41], "each row keeps its own log range");
  assert.deepEqual(tables.get("ETHUSDT")!.get("log_partition"), [-1]);
  assert.deepEqual(btc.get("window_start"), [0, 60_000]);
  assert.deepEqual(btc.get("count"), [3, 2]);
  assert.deepEqual(btc.get("complete"), [1, 0]);
  for (const [r, w] of [windows[0]!, windows[2]!].entries()) {
    const expected = finish(TICKER, w.partial);
    valueColumns(TICKER).forEach((name, i) => assert.equal(btc.get(name)![r], expected[i], `${name} of row ${r}`));
  }
  assert.equal(btc.get("price_mean")![0], 2);
  assert.equal(tables.get("ETHUSDT")!.get("price_first")![0], 10);
});

test("no closed windows, no tables", async () => {
  assert.equal(windowFrame(await loadDanfo(), TICKER, []).size, 0);
});
