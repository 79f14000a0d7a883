import { test } from "node:test";
import assert from "node:assert/strict";
import { CountedIds } from "./counted-ids.js";

test("ids are known until their window is pruned as closed", () => {
  const c = new CountedIds();
  c.add(0, "a");
  c.add(0, "b");
  c.add(60_000, "c");
  assert.ok(c.has("a") && c.has("c") && !c.has("d"));
  c.pruneBefore(60_000);
  assert.deepEqual([c.has("a"), c.has("b"), c.has("c"), c.size], [false, false, true, 1]);
  c.pruneBefore(120_000);
  assert.equal(c.size, 0);
});
