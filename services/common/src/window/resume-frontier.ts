/**
 * After a crash on a transport that keeps no log, the windows that were open
 * lost the events the dead process had counted. Per key, every window whose
 * start is at or before the window of the first event seen after the restart
 * may have begun before this process listened: its row must say it is
 * partial (complete = 0). Later windows began while this process listened.
 * Pure; off unless `armed`.
 */
export class ResumeFrontier {
  private readonly first = new Map<string, number>();

  constructor(private readonly armed: boolean) {}

  /** Notes the window of an admitted event (only the first per key matters). */
  note(key: string, windowStart: number): void {
    if (this.armed && !this.first.has(key)) this.first.set(key, windowStart);
  }

  /** True when the window of `key` starting at `windowStart` may miss events of the previous run. */
  partial(key: string, windowStart: number): boolean {
    if (!this.armed) return false;
    const f = this.first.get(key);
    return f === undefined || windowStart <= f;
  }
}
