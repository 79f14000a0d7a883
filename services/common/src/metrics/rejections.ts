import type { Logger } from "../log/logger.js";
import type { Counter } from "./registry.js";

/**
 * Counts every rejected input by reason and logs it, without letting a flood
 * of bad input flood the log: per reason, the first `burst` rejections of each
 * interval are logged one by one, the rest are summed into one line when the
 * interval ends.
 */
export class Rejections {
  private readonly logged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private windowStart = 0;

  constructor(
    private readonly counter: Counter,
    private readonly log: Logger,
    private readonly burst = 10,
    private readonly intervalMs = 60_000,
  ) {}

  reject(reason: string, detail: string, nowMs = Date.now()): void {
    this.counter.inc({ reason });
    if (nowMs - this.windowStart >= this.intervalMs) this.rollOver(nowMs);
    const n = this.logged.get(reason) ?? 0;
    if (n < this.burst) {
      this.logged.set(reason, n + 1);
      this.log.warn("input rejected", { reason, detail });
    } else {
      this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + 1);
    }
  }

  /** Logs the suppressed counts now (also called on stop). */
  rollOver(nowMs = Date.now()): void {
    for (const [reason, count] of this.suppressed) {
      this.log.warn("input rejected (repeats not logged one by one)", { reason, count });
    }
    this.suppressed.clear();
    this.logged.clear();
    this.windowStart = nowMs;
  }
}
