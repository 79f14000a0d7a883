/**
 * A processor's GET /healthz as the sink contract describes it, sampled in
 * the background so a test can say afterwards what was seen while a fault
 * lasted: 503 with sink.state "failing" (reason, failingSince, pendingRows,
 * intakePaused) while the last write failed, 200 with sink.state "ok" after.
 */
import { type ServiceProcess, sleep } from "./service-process.js";

export interface SinkSample {
  readonly at: number;
  readonly status: number;
  readonly state?: string;
  readonly reason?: string;
  readonly failingSince?: string;
  readonly pendingRows?: number;
  readonly intakePaused?: boolean;
}

export function sinkSample(status: number, body: unknown, at = Date.now()): SinkSample {
  const sink = (body as { sink?: Omit<SinkSample, "at" | "status"> } | undefined)?.sink ?? {};
  return { at, status, ...sink };
}

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
  readonly samples: SinkSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly p: ServiceProcess,
    everyMs = 200,
  ) {
    this.loop = this.sample(everyMs);
  }

  private async sample(everyMs: number): Promise<void> {
    while (this.running) {
      try {
        const h = await this.p.health();
        this.samples.push(sinkSample(h.status, h.body));
      } catch {
        // not listening yet, or gone: nothing to sample
      }
      await sleep(everyMs);
    }
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
    this.running = false;
    await this.loop;
  }
}
