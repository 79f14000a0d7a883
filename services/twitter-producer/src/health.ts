/**
 * When the producer counts as healthy (GET /healthz), decided from the
 * poller's status. Pure, so the rule is tested directly.
 *
 * Rule:
 * - unhealthy at once while the API rejects the token or the request
 *   (401/403/4xx): retrying cannot fix that, an operator must;
 * - healthy while waiting for a rate-limit reset the API announced (that wait
 *   is the correct behaviour, however long the window), until the reset is
 *   overdue by the staleness limit;
 * - otherwise healthy when the last successful poll (or the start, before the
 *   first one) is at most max(3 poll intervals, 60 s) old. Three intervals
 *   tolerate a couple of slow or retried polls; the 60 s floor keeps short
 *   test intervals from flapping on a single backoff.
 */
import type { PollerStatus } from "./poller.js";

export function staleAfterMs(pollMs: number): number {
  return Math.max(3 * pollMs, 60_000);
}

export function assessHealth(
  s: PollerStatus,
  nowMs: number,
  pollMs: number,
): { ok: boolean; detail: Record<string, unknown> } {
  const limit = staleAfterMs(pollMs);
  const since = s.lastSuccessAtMs ?? s.startedAtMs;
  const ageMs = Math.max(0, nowMs - since);
  const detail: Record<string, unknown> = {
    phase: s.phase,
    lastSuccessAgeSeconds: s.lastSuccessAtMs === undefined ? null : Math.round(ageMs / 1000),
    staleAfterSeconds: Math.round(limit / 1000),
    ...(s.lastProblem ? { lastProblem: s.lastProblem } : {}),
    ...(s.sinceId ? { sinceId: s.sinceId } : {}),
  };
  if (s.phase === "stopped") return { ok: false, detail };
  if (s.phase === "auth_error" || s.phase === "client_error") return { ok: false, detail };
  if (s.phase === "rate_limited" && s.waitingUntilMs !== undefined) {
    return {
      ok: nowMs <= s.waitingUntilMs + limit,
      detail: {
        ...detail,
        rateLimitedForSeconds: Math.max(0, Math.round((s.waitingUntilMs - nowMs) / 1000)),
      },
    };
  }
  return { ok: ageMs <= limit, detail };
}
