import { test } from "node:test";
import assert from "node:assert/strict";
import { LateBackfill } from "@cryptostream/binance-processor/aggregate/late-backfill";

test("late backfilled trades gather per window and are taken only once their symbol's backfill is over", () => {
  const b = new LateBackfill(1, 1_000);
  const k1 = b.add("ETHUSDT", 2_000, 2_100, [5]);
  assert.equal(b.add("ETHUSDT", 2_000, 2_050, [7]), k1, "one row per window");
  b.add("BTCUSDT", 1_000, 1_500, [1]);
  assert.deepEqual(b.take(), [], "nothing settled: the marker has not come");
  b.settle("ETHUSDT");
  const taken = b.take();
  assert.deepEqual(
    taken.map((t) => [t.window.symbol, t.window.windowStart, t.window.windowEnd, t.window.partial.count]),
    [["ETHUSDT", 2_000, 3_000, 2]],
  );
  const p = taken[0]!.window.partial;
  assert.deepEqual([p.timeFirst, p.first[0], p.timeLast, p.last[0], p.sum[0]], [2_050, 7, 2_100, 5, 12]);
  assert.equal(taken[0]!.window.complete, true);
  assert.notEqual(b.add("ETHUSDT", 2_000, 2_200, [1]), k1, "a row gathered after a take has a key of its own");
  assert.deepEqual(
    b.take(true).map((t) => [t.window.symbol, t.window.windowStart]),
    [
      ["BTCUSDT", 1_000],
      ["ETHUSDT", 2_000],
    ],
    "at a stop every row goes, by symbol then window",
  );
  assert.equal(b.size, 0);
});
