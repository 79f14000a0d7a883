/**
 * After a crash on a transport that keeps no log, the windows that were open
 * lost the events the dead process had counted. Every window then open
 * started at or before the watermark the dead process had reached, and the
 * first on-time event after the restart is at most the allowed lateness
 * behind that watermark. So, per key, every window starting at or before
 * the window of (first event's time + lateness) may have begun before this
 * process listened: its row must say it is partial (complete = 0). Later
 * windows began while this process listened. Pure; off unless `armed`.
 */
export class ResumeFrontier {
  private readonly frontier = new Map<string, number>();

  constructor(
    private readonly armed: boolean,
    private readonly sizeMs = 1,
    private readonly latenessMs = 0,
  ) {}

  /** Notes an admitted event's time; only the key's first one sets the frontier. */
  note(key: string, t: number): void {
    if (this.armed && !this.frontier.has(key))
      this.frontier.set(key, Math.floor((t + this.latenessMs) / this.sizeMs) * this.sizeMs);
  }

  /** True when the window of `key` starting at `windowStart` may miss events of the previous run. */
  partial(key: string, windowStart: number): boolean {
    if (!this.armed) return false;
    const f = this.frontier.get(key);
    return f === undefined || windowStart <= f;
  }
}
