import { test } from "node:test";
import assert from "node:assert/strict";
import { RecentIds } from "./recent-ids.js";

test("keeps the most recent ids up to its capacity, forgetting the oldest", () => {
  const r = new RecentIds(3);
  for (const id of ["1", "2", "3"]) r.add(id);
  assert.ok(r.has("1") && r.has("3"));
  r.add("4");
  assert.equal(r.has("1"), false);
  assert.ok(r.has("2") && r.has("4"));
  assert.equal(r.size, 3);
  r.add("4"); // known: nothing moves
  r.add("5");
  assert.deepEqual(
    ["1", "2", "3", "4", "5"].map((id) => r.has(id)),
    [false, false, true, true, true],
  );
});

test("stays bounded over many ids", () => {
  const r = new RecentIds(1000);
  for (let i = 0; i < 100_000; i++) r.add(String(1_800_000_000_000_000_000n + BigInt(i)));
  assert.equal(r.size, 1000);
  assert.ok(r.has(String(1_800_000_000_000_000_000n + 99_999n)));
  assert.ok(!r.has(String(1_800_000_000_000_000_000n + 98_999n)));
  assert.ok(r.has(String(1_800_000_000_000_000_000n + 99_000n)));
});

test("refuses a useless capacity", () => {
  assert.throws(() => new RecentIds(0), /positive integer/);
});
