import { test } from "node:test";
import assert from "node:assert/strict";
import { windowRules } from "@cryptostream/common/window/window-book";
import { MarketAggregator, MAX_EMPTY_WINDOWS } from "@cryptostream/binance-processor/aggregate/market-aggregator";
import { finish } from "@cryptostream/binance-processor/aggregate/partial";
import { AGG_TRADE, valueColumns } from "@cryptostream/binance-processor/aggregate/spec";
import { parseMarketMessage } from "@cryptostream/binance-processor/events/market-event";

const trade = (T: number, p: string, q: string, m: boolean, f = 1, l = f, E = T + 3) => ({
  stream: "btcusdt@aggTrade",
  data: { e: "aggTrade", E, s: "BTCUSDT", a: f, p, q, f, l, T, m, M: true },
});

const candle = (a: MarketAggregator, msgs: ReturnType<typeof trade>[]) => {
  for (const m of msgs) {
    const p = parseMarketMessage(m, AGG_TRADE, null);
    assert.ok(p.ok, JSON.stringify(p));
    a.add(p.symbol, p.time, p.values, 0);
  }
  return a.drain().map(
    (w): Record<string, number> => ({
      start: w.windowStart,
      count: w.partial.count,
      ...Object.fromEntries(valueColumns(AGG_TRADE).map((n, i) => [n, finish(AGG_TRADE, w.partial)[i]])),
    }),
  );
};

const agg = () => new MarketAggregator({ spec: AGG_TRADE, rules: windowRules(60, 5) });

test("an aggTrade window is Binance's kline: OHLC, volumes, trade counts, taker buys, VWAP", () => {
  const [w, ...rest] = candle(agg(), [
    trade(1_000, "10.5", "2", false, 1, 3), // taker buys, 3 underlying trades
    trade(20_000, "12", "1", true, 4, 4), // taker sells
    trade(5_000, "9", "4", false, 5, 6), // earlier trade time, arrives later
    trade(59_999, "11", "0.5", true, 7, 7),
  ]);
  assert.equal(rest.length, 0);
  assert.deepEqual(Object.keys(w!).slice(2), valueColumns(AGG_TRADE));
  assert.deepEqual(valueColumns(AGG_TRADE), [
    "open",
    "high",
    "low",
    "close",
    "volume",
    "quote_volume",
    "trade_count",
    "taker_buy_volume",
    "taker_buy_quote_volume",
    "vwap",
  ]);
  const quote = 10.5 * 2 + 12 * 1 + 9 * 4 + 11 * 0.5;
  assert.deepEqual(w, {
    start: 0,
    count: 4,
    open: 10.5, // smallest trade time
    high: 12,
    low: 9,
    close: 11,
    volume: 2 + 1 + 4 + 0.5,
    quote_volume: quote,
    trade_count: 3 + 1 + 2 + 1,
    taker_buy_volume: 2 + 4,
    taker_buy_quote_volume: 10.5 * 2 + 9 * 4,
    vwap: quote / 7.5,
  });
});

test("trade time T buckets a trade, not event time E", () => {
  const ws = candle(agg(), [trade(59_990, "1", "1", false, 1, 1, 60_010)]);
  assert.deepEqual(
    ws.map((w) => w.start),
    [0],
  );
});

test("sums are left folds in arrival order (float64), as the pandas reference computes them", () => {
  const qs = ["1e16", "1", "1", "1", "1"];
  const [w] = candle(
    agg(),
    qs.map((q, i) => trade(i + 1, "1", q, false, i + 1)),
  );
  let s = 0;
  for (const q of qs) s += Number(q);
  assert.equal(w!.volume, s);
  assert.equal(w!.volume, 1e16, "each 1 is lost to rounding, as in a plain left fold");
  assert.notEqual(s, 1e16 + 4, "a compensated sum (pandas' groupby sum) would differ");
});

test("windows without trades between two trades are rows with count 0 and no price", () => {
  const ws = candle(agg(), [trade(1_000, "5", "1", false), trade(200_000, "6", "1", true)]);
  assert.deepEqual(
    ws.map((w) => [w.start, w.count]),
    [
      [0, 1],
      [60_000, 0],
      [120_000, 0],
      [180_000, 1],
    ],
  );
  const empty = ws[1]!;
  assert.ok(Number.isNaN(empty.open) && Number.isNaN(empty.close) && Number.isNaN(empty.vwap));
  assert.equal(empty.volume, 0);
  assert.equal(empty.trade_count, 0);
});

test("a silence longer than MAX_EMPTY_WINDOWS windows gets no empty rows", () => {
  const ws = candle(agg(), [trade(1_000, "5", "1", false), trade((MAX_EMPTY_WINDOWS + 2) * 60_000, "6", "1", true)]);
  assert.equal(ws.length, 2);
});

test("malformed trades are rejected: m not a boolean, l < f, T missing", () => {
  const base = trade(1_000, "5", "1", false).data;
  const bad = [
    { ...base, m: "false" },
    { ...base, f: 5, l: 4 },
    { ...base, T: undefined },
  ];
  const reasons = bad.map((d) => {
    const p = parseMarketMessage({ data: d }, AGG_TRADE, null);
    return p.ok ? "ok" : p.reason;
  });
  assert.deepEqual(reasons, ["non_numeric", "non_numeric", "bad_event_time"]);
});
