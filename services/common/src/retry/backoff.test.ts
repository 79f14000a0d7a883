import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.js";

const policy = { baseMs: 500, maxMs: 30_000, floorMs: 100 };

test("backoff grows exponentially under full jitter and is capped", () => {
  assert.equal(
    backoffDelay(policy, 0, () => 1),
    500,
  );
  assert.equal(
    backoffDelay(policy, 3, () => 1),
    4_000,
  );
  assert.equal(
    backoffDelay(policy, 50, () => 1),
    30_000,
  );
  assert.equal(
    backoffDelay(policy, 3, () => 0.5),
    2_000,
  );
  assert.equal(
    backoffDelay(policy, 3, () => 0),
    100,
  ); // never below the floor
});
