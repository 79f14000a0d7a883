import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_RESET_WAIT_MS,
  RESET_MARGIN_MS,
  backoffMs,
  msUntilReset,
  parseRateLimitHeaders,
  waitAfterRateLimited,
  waitAfterSuccess,
} from "./rate-limit.js";

const headers = (h: Record<string, string>) => (name: string) => h[name];
const NOW = 1_700_000_000_000;

test("parses the x-rate-limit headers (reset in seconds -> ms) and the Date header", () => {
  const info = parseRateLimitHeaders(
    headers({
      "x-rate-limit-limit": "450",
      "x-rate-limit-remaining": "0",
      "x-rate-limit-reset": "1700000030",
      date: "Tue, 14 Nov 2023 22:13:20 GMT",
    }),
  );
  assert.deepEqual(info, {
    limit: 450,
    remaining: 0,
    resetAtMs: 1_700_000_030_000,
    serverNowMs: NOW,
  });
});

test("ignores missing or garbage header values", () => {
  const info = parseRateLimitHeaders(
    headers({
      "x-rate-limit-remaining": "-1",
      "x-rate-limit-reset": "soon",
      date: "yesterday",
    }),
  );
  assert.deepEqual(info, {
    limit: undefined,
    remaining: undefined,
    resetAtMs: undefined,
    serverNowMs: undefined,
  });
});

test("backoff doubles per attempt, is capped, and jitters within [exp/2, exp]", () => {
  const p = { baseMs: 1000, capMs: 60_000 };
  assert.equal(backoffMs(0, p, 0), 500);
  assert.equal(backoffMs(0, p, 1), 1000);
  assert.equal(backoffMs(3, p, 0.5), 6000);
  assert.equal(backoffMs(10, p, 1), 60_000);
  assert.equal(backoffMs(10, p, 0), 30_000);
  assert.equal(backoffMs(1000, p, 1), 60_000, "huge attempt counts stay finite and capped");
  for (let a = 0; a < 12; a++) {
    const w = backoffMs(a, p, Math.random());
    assert.ok(w >= Math.min(p.capMs, 1000 * 2 ** a) / 2 && w <= p.capMs, `attempt ${a}: ${w}`);
  }
});

test("waits until the announced reset plus a margin, measured on the server's clock when known", () => {
  assert.equal(msUntilReset({ resetAtMs: NOW + 30_000 }, NOW), 30_000 + RESET_MARGIN_MS);
  // Local clock 5 minutes fast: the Date header still gives the right wait.
  assert.equal(msUntilReset({ resetAtMs: NOW + 30_000, serverNowMs: NOW }, NOW + 300_000), 30_000 + RESET_MARGIN_MS);
  assert.equal(msUntilReset({ resetAtMs: NOW - 1 }, NOW), undefined, "a past reset is no reason to wait");
  assert.equal(msUntilReset({}, NOW), undefined);
  assert.equal(msUntilReset({ resetAtMs: NOW + 5 * 3_600_000 }, NOW), MAX_RESET_WAIT_MS, "bogus far reset is capped");
});

test("after a success: no wait unless the window is used up", () => {
  assert.equal(waitAfterSuccess({ remaining: 3, resetAtMs: NOW + 60_000 }, NOW), 0);
  assert.equal(waitAfterSuccess({ resetAtMs: NOW + 60_000 }, NOW), 0, "unknown remaining: no wait");
  assert.equal(waitAfterSuccess({ remaining: 0, resetAtMs: NOW + 60_000 }, NOW), 61_000);
  assert.equal(waitAfterSuccess({ remaining: 0 }, NOW), RESET_MARGIN_MS, "used up, reset unknown: short pause");
});

test("after a 429: reset header wins, otherwise exponential backoff", () => {
  const p = { baseMs: 1000, capMs: 60_000 };
  assert.deepEqual(waitAfterRateLimited({ resetAtMs: NOW + 120_000 }, NOW, 4, p, 0.5), {
    waitMs: 121_000,
    source: "reset-header",
  });
  assert.deepEqual(waitAfterRateLimited({}, NOW, 2, p, 0.5), {
    waitMs: 3000,
    source: "backoff",
  });
  assert.deepEqual(waitAfterRateLimited({ resetAtMs: NOW - 10 }, NOW, 0, p, 0), { waitMs: 500, source: "backoff" });
});
