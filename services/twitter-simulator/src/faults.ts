/**
 * Failures injected on purpose so producer tests can exercise retries:
 * a queue of "the next N requests fail with status S", plus an optional
 * "every Nth request fails" rule that alternates 503 and 500.
 */

export type FaultStatus = 429 | 500 | 502 | 503 | 504;
export const FAULT_STATUSES: readonly FaultStatus[] = [429, 500, 502, 503, 504];

export interface FaultSpec {
  readonly status: FaultStatus;
  /** How many consecutive requests fail this way. */
  readonly count: number;
  /** For 429: seconds until the advertised x-rate-limit-reset (default 1). */
  readonly resetInSeconds?: number;
}

export interface Fault {
  readonly status: FaultStatus;
  readonly resetInSeconds?: number;
}

export class FaultInjector {
  private readonly queue: { spec: FaultSpec; left: number }[] = [];
  private seen = 0;
  private periodicFired = 0;
  private injectedFired = 0;

  constructor(private readonly failEvery: number) {}

  inject(spec: FaultSpec): void {
    if (!FAULT_STATUSES.includes(spec.status)) throw new Error(`unsupported fault status ${spec.status}`);
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new Error("fault count must be a positive integer");
    this.queue.push({ spec, left: spec.count });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Called once per API request; returns the failure to answer with, if any. */
  next(): Fault | undefined {
    this.seen++;
    const head = this.queue[0];
    if (head) {
      head.left--;
      if (head.left === 0) this.queue.shift();
      this.injectedFired++;
      return { status: head.spec.status, resetInSeconds: head.spec.resetInSeconds };
    }
    if (this.failEvery > 0 && this.seen % this.failEvery === 0) {
      this.periodicFired++;
      return { status: this.periodicFired % 2 === 1 ? 503 : 500 };
    }
    return undefined;
  }

  snapshot(): {
    failEvery: number;
    requestsSeen: number;
    injectedFired: number;
    periodicFired: number;
    pending: FaultSpec[];
  } {
    return {
      failEvery: this.failEvery,
      requestsSeen: this.seen,
      injectedFired: this.injectedFired,
      periodicFired: this.periodicFired,
      pending: this.queue.map((q) => ({ ...q.spec, count: q.left })),
    };
  }
}
