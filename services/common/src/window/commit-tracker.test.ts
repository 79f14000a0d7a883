import { test } from "node:test";
import assert from "node:assert/strict";
import { CommitTracker } from "./commit-tracker.js";

test("nothing held: commit after the highest offset seen", () => {
  const t = new CommitTracker();
  t.seen({ partition: 0, offset: 4 });
  t.seen({ partition: 1, offset: 9 });
  assert.deepEqual(t.advance(), [
    { partition: 0, offset: 5 },
    { partition: 1, offset: 10 },
  ]);
  assert.deepEqual(t.advance(), [], "unchanged points are not repeated");
});

test("open windows hold the commit point at their oldest event, per partition", () => {
  const t = new CommitTracker();
  for (let o = 10; o <= 20; o++) t.seen({ partition: 0, offset: o });
  t.hold("BTC|0", { partition: 0, offset: 12 });
  t.hold("BTC|0", { partition: 0, offset: 15 });
  t.hold("ETH|0", { partition: 0, offset: 17 });
  assert.deepEqual(t.advance(), [{ partition: 0, offset: 12 }]);
  t.release("BTC|0");
  assert.deepEqual(t.advance(), [{ partition: 0, offset: 17 }]);
  t.release("ETH|0");
  assert.deepEqual(t.advance(), [{ partition: 0, offset: 21 }]);
});

test("the commit point never moves backwards", () => {
  const t = new CommitTracker();
  t.seen({ partition: 0, offset: 5 });
  assert.deepEqual(t.advance(), [{ partition: 0, offset: 6 }]);
  t.hold("late-window", { partition: 0, offset: 3 }); // a redelivered old message
  assert.deepEqual(t.advance(), []);
});
