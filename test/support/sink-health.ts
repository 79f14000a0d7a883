/**
 * A processor's GET /healthz as the documented sink behaviour describes it, read from the
 * background samples of health-watch.ts: 503 with sink.state "failing"
 * (reason, failingSince, pendingRows, intakePaused) while the last write
 * failed, 200 with sink.state "ok" after.
 */
import { type HealthSample, HealthWatch, sinkOf } from "./health-watch.js";
import type { ServiceProcess } from "./service-process.js";

export interface SinkSample {
  readonly at: number;
  readonly status: number;
  readonly state?: string;
  readonly reason?: string;
  readonly failingSince?: string;
  readonly pendingRows?: number;
  readonly intakePaused?: boolean;
}

const toSinkSample = (h: HealthSample): SinkSample => ({ at: h.at, status: h.status, ...(sinkOf(h) ?? {}) });

/** As the contract says a failing sink answers: 503, state "failing", a reason, an ISO failingSince. */
export function isFailing(s: SinkSample): boolean {
  return (
    s.status === 503 &&
    s.state === "failing" &&
    typeof s.reason === "string" &&
    s.reason.length > 0 &&
    typeof s.failingSince === "string" &&
    !Number.isNaN(Date.parse(s.failingSince))
  );
}

export const isOk = (s: SinkSample) => s.status === 200 && s.state === "ok";

export class SinkHealthWatch {
  private readonly watch: HealthWatch;

  constructor(p: ServiceProcess, everyMs = 200) {
    this.watch = new HealthWatch(p, everyMs);
  }

  /** Answered samples only (not listening yet, or gone: nothing to sample). */
  get samples(): SinkSample[] {
    return this.watch.samples.filter((s) => s.status !== 0).map(toSinkSample);
  }

  between(from: number, to = Infinity): SinkSample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }

  /** Milliseconds from `from` to the first sample that passes `pred`, or undefined. */
  firstAfter(from: number, pred: (s: SinkSample) => boolean): number | undefined {
    const hit = this.samples.find((s) => s.at >= from && pred(s));
    return hit && hit.at - from;
  }

  async stop(): Promise<void> {
    await this.watch.stop();
  }
}
