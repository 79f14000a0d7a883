/**
 * Which posts go out in the next publish, and what cursor is safe once they
 * are out. Pure.
 *
 * Posts wait in arrival order (time_us ascending, as Jetstream sends them,
 * except around its switch from replay to live, where a few can come out of
 * order: bluesky-social/jetstream-legacy issue 42). A batch takes the first
 * `max`. The cursor may then move to just before the oldest post still
 * waiting, or, when none waits, to the newest frame seen: every frame up to
 * there was either published or not wanted.
 */

export interface Pending<T> {
  readonly timeUs: number;
  readonly item: T;
}

export interface Batch<T> {
  readonly items: T[];
  /** The cursor to store once the batch is published (never behind `committedUs`). */
  readonly coveredUs: number;
}

export function takeBatch<T>(pending: Array<Pending<T>>, max: number, seenUs: number, committedUs: number): Batch<T> {
  const taken = pending.splice(0, Math.max(1, max));
  let oldest = Infinity;
  for (const p of pending) if (p.timeUs < oldest) oldest = p.timeUs;
  const covered = oldest === Infinity ? seenUs : oldest - 1;
  return { items: taken.map((p) => p.item), coveredUs: Math.max(committedUs, covered) };
}
