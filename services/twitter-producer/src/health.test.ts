import { test } from "node:test";
import assert from "node:assert/strict";
import { assessHealth, staleAfterMs } from "./health.js";
import type { PollerStatus } from "./poller.js";

const T0 = 1_700_000_000_000;
const base: PollerStatus = { phase: "idle", startedAtMs: T0 };

test("staleness limit is max(3 polls, 60 s)", () => {
  assert.equal(staleAfterMs(10_000), 60_000);
  assert.equal(staleAfterMs(100), 60_000);
  assert.equal(staleAfterMs(30_000), 90_000);
});

test("healthy while recent polls succeed, unhealthy once the last success is stale", () => {
  const s = { ...base, lastSuccessAtMs: T0 + 1000 };
  assert.equal(assessHealth(s, T0 + 61_000, 10_000).ok, true);
  const late = assessHealth(s, T0 + 61_001, 10_000);
  assert.equal(late.ok, false);
  assert.equal(late.detail.lastSuccessAgeSeconds, 60);
});

test("before the first success, the start time counts", () => {
  assert.equal(assessHealth({ ...base, phase: "backing_off" }, T0 + 30_000, 10_000).ok, true);
  assert.equal(assessHealth({ ...base, phase: "backing_off" }, T0 + 90_000, 10_000).ok, false);
});

test("auth and request errors are unhealthy at once", () => {
  assert.equal(assessHealth({ ...base, phase: "auth_error", lastSuccessAtMs: T0 }, T0 + 1, 10_000).ok, false);
  assert.equal(assessHealth({ ...base, phase: "client_error", lastSuccessAtMs: T0 }, T0 + 1, 10_000).ok, false);
});

test("an announced rate-limit wait is healthy however long, until overdue", () => {
  const s: PollerStatus = {
    ...base,
    phase: "rate_limited",
    lastSuccessAtMs: T0,
    waitingUntilMs: T0 + 15 * 60_000,
  };
  const waiting = assessHealth(s, T0 + 10 * 60_000, 10_000);
  assert.equal(waiting.ok, true);
  assert.equal(waiting.detail.rateLimitedForSeconds, 300);
  assert.equal(assessHealth(s, T0 + 16 * 60_000 + 1, 10_000).ok, false);
});
