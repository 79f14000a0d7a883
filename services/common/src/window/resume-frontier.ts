/**
 * After a crash on a transport that keeps no log, the windows that were open
 * lost the events the dead process had counted. Per key, every window whose
 * start is at or before the newest window seen in the key's first batch after
 * the restart may have begun before this process listened (an out-of-order
 * first event must not hide a window that lost events): its row must say it
 * is partial (complete = 0). Later windows began while this process listened.
 * Pure; off unless `armed`.
 */
export class ResumeFrontier {
  /** key -> [frontier, the batch (its wall-clock time) that set it]. */
  private readonly first = new Map<string, [number, number]>();

  constructor(private readonly armed: boolean) {}

  /** Notes the window of an admitted event; only the key's first batch (`batchTime`) moves the frontier. */
  note(key: string, windowStart: number, batchTime: number): void {
    if (!this.armed) return;
    const f = this.first.get(key);
    if (!f) this.first.set(key, [windowStart, batchTime]);
    else if (f[1] === batchTime && windowStart > f[0]) f[0] = windowStart;
  }

  /** True when the window of `key` starting at `windowStart` may miss events of the previous run. */
  partial(key: string, windowStart: number): boolean {
    if (!this.armed) return false;
    const f = this.first.get(key);
    return f === undefined || windowStart <= f[0];
  }
}
