/**
 * Asks each service for /healthz and /metrics every `everyMs` (IO) and hands the health
 * strip's lines to `onUpdate`. A service that does not answer within the interval is down.
 */
import type { ServiceTarget } from "../config.js";
import { parsePrometheus } from "./prometheus-text.js";
import { healthDetail, type Scrape, type ServiceStatus, serviceStatus, storeHealth } from "./service-status.js";

async function scrape(target: ServiceTarget, timeoutMs: number): Promise<Scrape> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const [h, m] = await Promise.all([
      fetch(`${target.url}/healthz`, { signal }),
      fetch(`${target.url}/metrics`, { signal }),
    ]);
    const body = (await h.json().catch(() => ({}))) as Record<string, unknown>;
    const detail = h.ok ? undefined : healthDetail(body);
    return {
      at: Date.now(),
      healthStatus: h.status,
      healthDetail: detail,
      store: storeHealth(body),
      samples: parsePrometheus(await m.text()),
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { at: Date.now(), error: cause ?? (err instanceof Error ? err.name : String(err)) };
  }
}

export class HealthPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly prev = new Map<string, Scrape>();
  private readonly seen = new Map<string, number>();
  private busy = false;

  constructor(
    private readonly targets: readonly ServiceTarget[],
    private readonly everyMs: number,
    private readonly onUpdate: (statuses: ServiceStatus[]) => void,
  ) {}

  start(): void {
    if (this.targets.length === 0) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const timeout = Math.max(200, Math.min(this.everyMs, 2_000));
      const scrapes = await Promise.all(this.targets.map((t) => scrape(t, timeout)));
      const statuses = this.targets.map((t, i) => {
        const cur = scrapes[i]!;
        if (cur.samples) this.seen.set(t.name, cur.at);
        const s = serviceStatus(t.name, cur, this.prev.get(t.name), this.seen.get(t.name));
        if (cur.samples) this.prev.set(t.name, cur);
        return s;
      });
      this.onUpdate(statuses);
    } finally {
      this.busy = false;
    }
  }
}
