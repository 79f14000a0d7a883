import { test } from "node:test";
import assert from "node:assert/strict";
import { GapTracker } from "./gap-tracker.js";

test("a gap runs from the last event time before the loss to the first one after it", () => {
  const g = new GapTracker();
  assert.equal(g.observe(100), undefined);
  assert.equal(g.observe(90), undefined); // out of order across symbols: the largest counts
  g.lost("drop");
  assert.deepEqual(g.observe(250), { from: 100, to: 250, cause: "drop" });
  assert.equal(g.observe(260), undefined, "only the first event after the loss closes it");
});

test("no gap before anything was delivered, and a second loss before data keeps the first cause", () => {
  const g = new GapTracker();
  g.lost("drop");
  assert.equal(g.observe(10), undefined, "nothing to bound");
  g.lost("stale");
  g.lost("drop");
  assert.deepEqual(g.observe(20), { from: 10, to: 20, cause: "stale" });
});
