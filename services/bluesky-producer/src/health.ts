/**
 * When the producer counts as healthy (GET /healthz). Pure.
 *
 * Healthy while connected, and for a grace time while it is not: at start,
 * and after a lost connection while it fails over to the next instance
 * (max(2 x the silence limit, 60 s)). An instance that keeps refusing for
 * longer than that makes it unhealthy (it still retries forever).
 */
export interface FeedStatus {
  readonly connected: boolean;
  readonly startedAtMs: number;
  /** When the last connection was lost (undefined until one was). */
  readonly lostAtMs: number | undefined;
  readonly url: string | undefined;
  readonly reconnects: number;
  readonly cursorUs: number | undefined;
  readonly pending: number;
  readonly lastFrameAtMs: number | undefined;
}

export function graceMs(staleMs: number): number {
  return Math.max(2 * staleMs, 60_000);
}

export function assessHealth(
  s: FeedStatus,
  nowMs: number,
  staleMs: number,
): { ok: boolean; detail: Record<string, unknown> } {
  const downSince = s.lostAtMs ?? s.startedAtMs;
  const detail: Record<string, unknown> = {
    connected: s.connected,
    url: s.url ?? null,
    reconnects: s.reconnects,
    cursor: s.cursorUs ?? null,
    cursorLagSeconds: s.cursorUs === undefined ? null : Math.max(0, Math.round(nowMs / 1000 - s.cursorUs / 1e6)),
    pending: s.pending,
    lastFrameAgeSeconds: s.lastFrameAtMs === undefined ? null : Math.round((nowMs - s.lastFrameAtMs) / 1000),
  };
  if (!s.connected) detail.disconnectedSeconds = Math.round((nowMs - downSince) / 1000);
  return { ok: s.connected || nowMs - downSince <= graceMs(staleMs), detail };
}
