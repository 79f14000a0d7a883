import assert from "node:assert/strict";
import { test } from "node:test";
import { assessHealth, type FeedStatus } from "./health.js";

const base: FeedStatus = {
  connected: false,
  startedAtMs: 0,
  lostAtMs: undefined,
  url: "ws://x",
  reconnects: 0,
  cursorUs: undefined,
  pending: 0,
  lastFrameAtMs: undefined,
};

test("healthy while connected, and for a grace time while failing over", () => {
  assert.ok(assessHealth({ ...base, connected: true }, 10_000_000, 30_000).ok);
  assert.ok(assessHealth(base, 59_000, 30_000).ok, "starting");
  assert.ok(!assessHealth(base, 61_000, 30_000).ok, "never connected for over a minute");
  const lost = { ...base, lostAtMs: 1_000_000 };
  assert.ok(assessHealth(lost, 1_050_000, 30_000).ok);
  const h = assessHealth({ ...lost, cursorUs: 1_000_000_000 }, 1_070_000, 30_000);
  assert.ok(!h.ok);
  assert.equal(h.detail.disconnectedSeconds, 70);
  assert.equal(h.detail.cursorLagSeconds, 70);
});
