import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithKlines } from "@cryptostream/binance-processor/klines/kline-diff";

const candle = (start: number, o: Record<string, number> = {}) => ({
  window_start: start,
  window_end: start + 60_000,
  count: 3,
  gap: 0,
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  volume: 0.1 + 0.2,
  quote_volume: 3,
  trade_count: 5,
  taker_buy_volume: 0.1,
  taker_buy_quote_volume: 1,
  ...o,
});
const kline = (t: number, o: Record<string, number> = {}) => ({
  open_time: t,
  close_time: t + 59_999,
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  volume: 0.3, // Binance's exact decimal; ours is the float sum 0.30000000000000004
  quote_volume: 3,
  trade_count: 5,
  taker_buy_volume: 0.1,
  taker_buy_quote_volume: 1,
  ...o,
});

test("candles equal to klines up to float rounding show no difference; others are listed by column", () => {
  const r = compareWithKlines(
    [
      candle(0),
      candle(60_000, { gap: 2, trade_count: 4, volume: 0.25 }),
      candle(120_000, {
        count: 0,
        open: NaN,
        high: NaN,
        low: NaN,
        close: NaN,
        volume: 0,
        quote_volume: 0,
        trade_count: 0,
        taker_buy_volume: 0,
        taker_buy_quote_volume: 0,
      }),
    ],
    [
      kline(0),
      kline(60_000),
      kline(120_000, { volume: 0, trade_count: 0, quote_volume: 0, taker_buy_volume: 0, taker_buy_quote_volume: 0 }),
      kline(180_000),
    ],
  );
  assert.equal(r.compared, 4);
  assert.deepEqual(r.differences, [
    {
      openTime: 60_000,
      kind: "differs",
      columns: [
        { name: "volume", ours: 0.25, binance: 0.3 },
        { name: "trade_count", ours: 4, binance: 5 },
      ],
      gap: 2,
    },
    { openTime: 180_000, kind: "no candle", columns: [], gap: -1 },
  ]);
});

test("klines of another interval than the table's window are not compared", () => {
  const r = compareWithKlines([candle(0)], [{ ...kline(0), close_time: 299_999 }]);
  assert.equal(r.compared, 0);
  assert.equal(r.otherInterval, 1);
});
