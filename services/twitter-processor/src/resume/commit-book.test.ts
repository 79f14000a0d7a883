import { test } from "node:test";
import assert from "node:assert/strict";
import type { Delivery } from "@cryptostream/common";
import { CommitBook } from "./commit-book.js";

const d = (partition: number, offset: number): Delivery => ({
  topic: "twitter",
  key: undefined,
  value: Buffer.alloc(0),
  partition,
  offset: String(offset),
});
const pt = (partition: number, offset: number) => ({ topic: "twitter", partition, offset: String(offset) });

test("safe point per partition: smallest offset held by an unwritten window, else highest seen + 1", () => {
  const b = new CommitBook();
  for (let o = 0; o < 5; o++) b.seen(d(0, o));
  b.seen(d(1, 7));
  b.hold(60_000, d(0, 3));
  b.hold(60_000, d(0, 2)); // same window, smaller offset wins
  b.hold(120_000, d(0, 4));
  assert.deepEqual(b.safePoints(), [pt(0, 2), pt(1, 8)]);
  b.markCommitted(b.safePoints());
  assert.deepEqual(b.safePoints(), [], "unchanged points are not sent again");
  b.release([60_000]);
  assert.deepEqual(b.safePoints(), [pt(0, 4)]);
  b.release([120_000]);
  assert.deepEqual(b.safePoints(), [pt(0, 5)]);
  // A redelivery of an older offset does not move "seen" backwards.
  b.seen(d(0, 1));
  assert.deepEqual(b.safePoints(), [pt(0, 5)]);
});

test("allSeenPoints ignores holds; reset forgets every partition", () => {
  const b = new CommitBook();
  b.seen(d(0, 9));
  b.hold(0, d(0, 9));
  assert.deepEqual(b.safePoints(), [pt(0, 9)]);
  assert.deepEqual(b.allSeenPoints(), [pt(0, 10)]);
  b.reset();
  assert.deepEqual(b.allSeenPoints(), []);
  assert.equal(b.heldWindows(), 0);
  b.seen(d(2, 0));
  assert.deepEqual(b.safePoints(), [pt(2, 1)]);
});
