import { test } from "node:test";
import assert from "node:assert/strict";
import { TradeHistory } from "./trade-history.js";

function filled(n: number, max = 100_000) {
  const h = new TradeHistory(max);
  for (let a = 1; a <= n; a++)
    h.record("BTCUSDT", a, 150_000_000 + a, 2_500_000, a * 2, a * 2 + 1, 1000 + Math.floor(a / 2), a % 2 === 0);
  return h;
}

test("trades come back formatted as Binance's decimal strings", () => {
  assert.deepEqual(filled(3).query("BTCUSDT", { fromId: 2, limit: 1 }), [
    { a: 2, p: "1.50000002", q: "0.02500000", f: 4, l: 5, T: 1001, m: true, M: true },
  ]);
});

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
