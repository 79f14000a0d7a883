import { test } from "node:test";
import assert from "node:assert/strict";
import { WindowBook, windowRules, windowStartOf } from "./window-book.js";

const rules = windowRules(60, 5); // 60 s windows, 5 s lateness

test("window start is floor(t / size) * size", () => {
  assert.equal(windowStartOf(0, 60_000), 0);
  assert.equal(windowStartOf(59_999, 60_000), 0);
  assert.equal(windowStartOf(60_000, 60_000), 60_000);
  assert.equal(windowStartOf(1_700_000_012_345, 60_000), 1_699_999_980_000);
});

test("an event past end + lateness closes the window, one just before does not", () => {
  const b = new WindowBook(rules);
  assert.deepEqual(b.admit("BTC", 10_000, 0), { late: false, windowStart: 0, closeBefore: undefined });
  // 64.999 s: inside lateness of window [0, 60 s)
  const a1 = b.admit("BTC", 64_999, 0);
  assert.equal(a1.late, false);
  assert.equal(a1.late === false && a1.closeBefore, undefined);
  // an out-of-order event of the first window is still on time
  assert.equal(b.admit("BTC", 59_000, 0).late, false);
  const a2 = b.admit("BTC", 65_000, 0);
  assert.equal(a2.late === false && a2.closeBefore, 60_000);
  // now the first window is closed: its events are late
  assert.deepEqual(b.admit("BTC", 59_500, 0), { late: true });
});

test("keys are independent", () => {
  const b = new WindowBook(rules);
  b.admit("BTC", 200_000, 0);
  assert.equal(b.admit("ETH", 10_000, 0).late, false);
});

test("wall clock closes only idle keys whose windows have passed end + lateness", () => {
  const b = new WindowBook(rules);
  const t = 1_000_000_030_000; // window [1_000_000_020_000, 1_000_000_080_000)
  const end = 1_000_000_080_000;
  b.admit("BTC", t, t);
  assert.deepEqual(b.tick(end + 4_999), []); // idle, but before end + lateness
  assert.deepEqual(b.tick(end + 5_000), [{ key: "BTC", closeBefore: end }]);
  const fresh = new WindowBook(rules);
  fresh.admit("BTC", t, end + 4_000); // the event arrived late in wall-clock terms
  assert.deepEqual(fresh.tick(end + 6_000), []); // past end + lateness, but not idle for idleMs yet
  assert.deepEqual(fresh.tick(end + 9_000), [{ key: "BTC", closeBefore: end }]);
  assert.deepEqual(fresh.tick(end + 9_500), []); // nothing new to close
});

test("a fast replay of old data is decided by event time only", () => {
  const b = new WindowBook(rules);
  const wallNow = 2_000_000_000_000; // far after the replayed times
  let late = 0;
  for (let t = 0; t < 600_000; t += 1000) if (b.admit("BTC", t, wallNow).late) late++;
  assert.equal(late, 0);
  assert.equal(b.closedBefore("BTC"), 540_000);
});

test("restore sets the closing point of a new key: its older windows are late", () => {
  const b = new WindowBook(rules);
  b.restore("BTC", 120_000, 0);
  assert.equal(b.closedBefore("BTC"), 120_000);
  assert.deepEqual(b.admit("BTC", 119_999, 0), { late: true });
  // the first window after the restored point is open, and it closes nothing yet
  assert.deepEqual(b.admit("BTC", 120_000, 0), { late: false, windowStart: 120_000, closeBefore: undefined });
  assert.deepEqual(b.tick(0 + 1_000), []); // not idle long enough to close by wall clock
});

test("restore never moves a closing point backwards", () => {
  const b = new WindowBook(rules);
  b.admit("BTC", 300_000, 0); // closedBefore = windowStart(295 s) = 240 s
  assert.equal(b.closedBefore("BTC"), 240_000);
  b.restore("BTC", 60_000, 0);
  assert.equal(b.closedBefore("BTC"), 240_000);
  b.restore("BTC", 360_000, 0);
  assert.equal(b.closedBefore("BTC"), 360_000);
  assert.deepEqual(b.admit("BTC", 300_000, 0), { late: true });
  // restore on one key leaves the others untouched
  assert.equal(b.closedBefore("ETH"), -Infinity);
});

test("a restored key is not closed by the wall clock before its first event arrives", () => {
  const b = new WindowBook(rules);
  b.restore("BTC", 120_000, 0);
  assert.deepEqual(b.tick(10_000_000), [], "no event yet: the replay may still be on its way");
  b.admit("BTC", 130_000, 10_000_000);
  assert.deepEqual(b.tick(10_000_000 + rules.idleMs), [
    { key: "BTC", closeBefore: windowStartOf(10_000_000 + rules.idleMs - rules.latenessMs, rules.sizeMs) },
  ]);
});
