/**
 * Pure decisions about waiting: how long before the next call, given the
 * rate-limit headers Twitter sent, the status and how many attempts failed.
 * No clocks or timers here; callers pass `nowMs` and a random number.
 */

export interface RateLimitInfo {
  /** x-rate-limit-limit: calls allowed per window. */
  readonly limit?: number;
  /** x-rate-limit-remaining: calls left in the current window. */
  readonly remaining?: number;
  /** x-rate-limit-reset: when the window resets, epoch milliseconds (the header is in seconds). */
  readonly resetAtMs?: number;
  /** The response's Date header (epoch ms), to measure the wait on the server's clock. */
  readonly serverNowMs?: number;
}

export type HeaderGetter = (name: string) => string | undefined;

function nonNegativeInt(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseRateLimitHeaders(get: HeaderGetter): RateLimitInfo {
  const reset = nonNegativeInt(get("x-rate-limit-reset"));
  const dateRaw = get("date");
  const date = dateRaw === undefined ? NaN : Date.parse(dateRaw);
  return {
    limit: nonNegativeInt(get("x-rate-limit-limit")),
    remaining: nonNegativeInt(get("x-rate-limit-remaining")),
    resetAtMs: reset === undefined ? undefined : reset * 1000,
    serverNowMs: Number.isFinite(date) ? date : undefined,
  };
}

export interface BackoffPolicy {
  /** First retry waits about this long. */
  readonly baseMs: number;
  /** No single wait is longer. */
  readonly capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * The reset header has one-second resolution and the two clocks disagree a
 * little, so calling exactly at the reset second may still be refused.
 */
export const RESET_MARGIN_MS = 1_000;

/**
 * Longest wait a reset header may impose. Twitter's windows are 15 minutes; a
 * reset further away is a clock problem or a bogus header, and after this
 * long the next call simply asks again.
 */
export const MAX_RESET_WAIT_MS = 16 * 60_000;

/**
 * Exponential backoff with "equal jitter": half of the exponential delay is
 * fixed, half random, so retries of many producers spread out but none retries
 * at once. `attempt` counts failures so far, starting at 0.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * Milliseconds until the window announced by `info` resets (plus a margin), or
 * undefined when the header is missing or already in the past. The server's own
 * Date header is preferred over the local clock so clock skew does not matter.
 */
export function msUntilReset(info: RateLimitInfo, localNowMs: number): number | undefined {
  if (info.resetAtMs === undefined) return undefined;
  const now = info.serverNowMs ?? localNowMs;
  const wait = info.resetAtMs - now;
  if (wait <= 0) return undefined;
  return Math.min(wait + RESET_MARGIN_MS, MAX_RESET_WAIT_MS);
}

/**
 * After a successful call: how long to hold off the next call so as not to
 * be refused. Zero unless the window is used up.
 */
export function waitAfterSuccess(info: RateLimitInfo, localNowMs: number): number {
  if (info.remaining !== 0) return 0;
  // Used up, but the reset is unknown or passed: wait one margin and try.
  return msUntilReset(info, localNowMs) ?? RESET_MARGIN_MS;
}

/** After a 429: until the reset when announced, otherwise exponential backoff. */
export function waitAfterRateLimited(
  info: RateLimitInfo,
  localNowMs: number,
  attempt: number,
  policy: BackoffPolicy,
  random: number,
): { waitMs: number; source: "reset-header" | "backoff" } {
  const untilReset = msUntilReset(info, localNowMs);
  if (untilReset !== undefined) return { waitMs: untilReset, source: "reset-header" };
  return { waitMs: backoffMs(attempt, policy, random), source: "backoff" };
}
