/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [0, min(max, base * 2^n)], never less than `floor`. Jitter keeps many
 * producers from reconnecting in lockstep after an outage.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly floorMs: number;
}

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(policy.floorMs, Math.round(random() * ceiling));
}
