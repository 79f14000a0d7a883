import assert from "node:assert/strict";
import { test } from "node:test";
import { type Pending, takeBatch } from "./batch.js";

const p = (...times: number[]): Array<Pending<string>> => times.map((t) => ({ timeUs: t, item: `p${t}` }));

test("a batch takes the oldest posts; the cursor stops just before the first still waiting", () => {
  const pending = p(10, 20, 30, 40);
  const b = takeBatch(pending, 2, 55, 0);
  assert.deepEqual(b.items, ["p10", "p20"]);
  assert.equal(b.coveredUs, 29);
  assert.deepEqual(
    pending.map((x) => x.timeUs),
    [30, 40],
  );
  const c = takeBatch(pending, 2, 55, b.coveredUs);
  assert.deepEqual(c.items, ["p30", "p40"]);
  assert.equal(c.coveredUs, 55, "nothing waits: up to the newest frame seen");
});

test("with nothing waiting the cursor still follows the frames; it never goes back", () => {
  assert.deepEqual(takeBatch([], 10, 500, 100), { items: [], coveredUs: 500 });
  assert.equal(takeBatch(p(50), 10, 40, 100).coveredUs, 100);
});

test("out of order arrivals: the cursor stops before the oldest post still waiting, wherever it sits", () => {
  const pending = p(10, 40, 30);
  assert.equal(takeBatch(pending, 1, 50, 0).coveredUs, 29);
});
