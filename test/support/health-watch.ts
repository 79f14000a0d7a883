/**
 * Samples a service's GET /healthz in the background while a fault runs, so a
 * test can say afterwards what the sink reported, and when (the `sink` object
 * of README.md "When things fail": state, reason, failingSince,
 * pendingRows, intakePaused).
 */
import type { ServiceProcess } from "./service-process.js";

export interface SinkHealth {
  readonly state?: string;
  readonly reason?: string;
  readonly failingSince?: string;
  readonly pendingRows?: number;
  readonly intakePaused?: boolean;
}

export interface HealthSample {
  /** Date.now() when the answer came. */
  readonly at: number;
  /** HTTP status; 0 when there was no answer (the process is gone). */
  readonly status: number;
  readonly body?: Record<string, unknown>;
  readonly error?: string;
}

export function sinkOf(s: HealthSample | undefined): SinkHealth | undefined {
  const sink = s?.body?.sink;
  return sink && typeof sink === "object" ? (sink as SinkHealth) : undefined;
}

/** One sample (never throws). */
export async function sampleHealth(p: ServiceProcess): Promise<HealthSample> {
  try {
    const { status, body } = await p.health();
    return { at: Date.now(), status, body: body as Record<string, unknown> };
  } catch (err) {
    return { at: Date.now(), status: 0, error: (err as Error).message };
  }
}

export class HealthWatch {
  readonly samples: HealthSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly p: ServiceProcess,
    everyMs = 200,
  ) {
    this.loop = (async () => {
      while (this.running) {
        this.samples.push(await sampleHealth(this.p));
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  async stop(): Promise<HealthSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  between(from: number, to = Infinity): HealthSample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }
}

/** What a run of samples shows, in numbers for a summary line. */
export function healthStats(samples: readonly HealthSample[]) {
  const sinks = samples.map(sinkOf);
  return {
    samples: samples.length,
    status503: samples.filter((s) => s.status === 503).length,
    failing: sinks.filter((s) => s?.state === "failing").length,
    noAnswer: samples.filter((s) => s.status === 0).length,
    intakePaused: sinks.filter((s) => s?.intakePaused === true).length,
    maxPendingRows: Math.max(0, ...sinks.map((s) => s?.pendingRows ?? 0)),
    reasons: [...new Set(sinks.map((s) => s?.reason).filter((r): r is string => !!r))].slice(0, 3),
  };
}
