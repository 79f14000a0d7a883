import assert from "node:assert/strict";
import { test } from "node:test";
import { RecentKeys } from "./recent-keys.js";

test("bounded: the oldest keys are forgotten first", () => {
  const r = new RecentKeys(1000);
  for (let i = 0; i < 50_000; i++) r.add(`k${i}`, i);
  assert.equal(r.size, 1000);
  assert.ok(!r.has("k48999"));
  assert.ok(r.has("k49000") && r.has("k49999"));
});

test("keys of a time range, newest last, capped", () => {
  const r = new RecentKeys(100);
  for (let i = 0; i < 10; i++) r.add(`k${i}`, i * 10);
  assert.deepEqual(r.between(30, 60, 100), [
    ["k3", 30],
    ["k4", 40],
    ["k5", 50],
    ["k6", 60],
  ]);
  assert.deepEqual(
    r.between(0, 1000, 2).map((e) => e[0]),
    ["k8", "k9"],
  );
});
