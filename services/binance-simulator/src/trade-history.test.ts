import { test } from "node:test";
import assert from "node:assert/strict";
import { TradeHistory, type HistoricTrade } from "./trade-history.js";

const t = (a: number, T: number): HistoricTrade => ({
  a,
  p: "1",
  q: "1",
  f: a * 2,
  l: a * 2 + 1,
  T,
  m: false,
  M: true,
});

function filled(n: number, max = 1_000_000) {
  const h = new TradeHistory(max);
  for (let a = 1; a <= n; a++) h.record("BTCUSDT", t(a, 1000 + Math.floor(a / 2)));
  return h;
}

test("fromId is inclusive and limit caps the page", () => {
  const ids = filled(100)
    .query("BTCUSDT", { fromId: 10, limit: 5 })
    .map((x) => x.a);
  assert.deepEqual(ids, [10, 11, 12, 13, 14]);
});

test("a time range selects by trade time, inclusive at both ends", () => {
  const got = filled(100).query("BTCUSDT", { startTime: 1010, endTime: 1011, limit: 500 });
  assert.deepEqual(
    got.map((x) => x.a),
    [20, 21, 22, 23],
  );
});

test("no selector: the most recent trades", () => {
  const ids = filled(100)
    .query("BTCUSDT", { limit: 3 })
    .map((x) => x.a);
  assert.deepEqual(ids, [98, 99, 100]);
});

test("bounded: only the newest trades are kept, still without holes", () => {
  const h = filled(20_000, 1000);
  const all = h.all("BTCUSDT");
  assert.equal(all.length, 1000);
  assert.equal(all[0]!.a, 19_001);
  assert.equal(h.query("BTCUSDT", { fromId: 5, limit: 2 })[0]!.a, 19_001, "an id no longer kept: from the oldest kept");
  assert.deepEqual(h.query("ETHUSDT", { limit: 10 }), [], "unknown symbol: nothing");
});
