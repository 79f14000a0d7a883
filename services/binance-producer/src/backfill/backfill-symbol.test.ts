import { test } from "node:test";
import assert from "node:assert/strict";
import { BackfillStop, type RestAggTrade } from "./agg-trades-client.js";
import { backfillSymbol, PAGE_LIMIT } from "./backfill-symbol.js";

const t = (a: number): RestAggTrade => ({ a, p: "1", q: "1", f: a, l: a, T: a, m: true, M: true });

/** A fake exchange holding trades firstId..lastId, answering pages like Binance. */
function exchange(firstId: number, lastId: number, fail?: (call: number) => BackfillStop | undefined) {
  const calls: number[] = [];
  return {
    calls,
    page: async (_s: string, fromId: number, limit: number) => {
      calls.push(fromId);
      const err = fail?.(calls.length);
      if (err) throw err;
      const out: RestAggTrade[] = [];
      for (let a = Math.max(fromId, firstId); a <= lastId && out.length < limit; a++) out.push(t(a));
      return out;
    },
  };
}

const req = (fromId: number, firstLiveId: number | undefined, maxTrades = 1_000_000) => ({
  symbol: "BTCUSDT",
  fromId,
  firstLiveId: () => firstLiveId,
  maxTrades,
  signal: new AbortController().signal,
});

test("pages of 1000 from the last id + 1 until the first live id is reached", async () => {
  const ex = exchange(1, 10_000);
  const r = await backfillSymbol(ex, req(101, 2601));
  assert.equal(r.complete, true);
  assert.deepEqual(ex.calls, [101, 1101, 2101]);
  assert.equal(r.trades[0]!.a, 101);
  assert.ok(r.trades.at(-1)!.a >= 2600, "reaches the live stream");
  for (let i = 1; i < r.trades.length; i++) assert.equal(r.trades[i]!.a, r.trades[i - 1]!.a + 1);
});

test("a short page means the present is reached: complete even with no live id yet", async () => {
  const ex = exchange(1, 1500);
  const r = await backfillSymbol(ex, req(1, undefined));
  assert.equal(r.complete, true);
  assert.equal(r.trades.length, 1500);
  assert.deepEqual(ex.calls, [1, 1 + PAGE_LIMIT]);
});

test("nothing missing: no request at all when the live stream resumes at last id + 1", async () => {
  const ex = exchange(1, 100);
  const r = await backfillSymbol(ex, req(50, 50));
  assert.deepEqual(r, { trades: [], complete: true });
  assert.deepEqual(ex.calls, []);
});

test("a hole (history no longer reaches back) is incomplete", async () => {
  const r = await backfillSymbol(exchange(500, 900), req(100, 900));
  assert.equal(r.complete, false);
  assert.equal(r.reason, "hole");
});

test("a failed page keeps what was fetched and says why", async () => {
  const ex = exchange(1, 5000, (n) => (n === 2 ? new BackfillStop("banned", "418") : undefined));
  const r = await backfillSymbol(ex, req(1, 4000));
  assert.equal(r.complete, false);
  assert.equal(r.reason, "banned");
  assert.equal(r.trades.length, PAGE_LIMIT);
});

test("bounded: stops after maxTrades", async () => {
  const r = await backfillSymbol(exchange(1, 1_000_000), req(1, undefined, 2500));
  assert.equal(r.complete, false);
  assert.equal(r.reason, "too_many");
  assert.equal(r.trades.length, 3000);
});
