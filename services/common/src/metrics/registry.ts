/**
 * A small Prometheus registry: counters and gauges with labels, rendered in
 * the text exposition format (version 0.0.4).
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return "";
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return "{" + keys.map((k) => `${k}="${esc(labels[k] ?? "")}"`).join(",") + "}";
}

abstract class Metric {
  protected readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge",
  ) {}
  get(labels?: Labels): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  /** Sum over all label sets. */
  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v;
    return t;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (this.values.size === 0 && this.type === "counter") lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${Number.isFinite(v) ? v : "NaN"}`);
    return lines.join("\n");
  }
}

export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, "counter");
  }
  inc(labels?: Labels, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
}

export class Gauge extends Metric {
  constructor(name: string, help: string) {
    super(name, help, "gauge");
  }
  set(value: number, labels?: Labels): void {
    this.values.set(labelKey(labels), value);
  }
  inc(labels?: Labels, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
}

export class Registry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.register(name, () => new Counter(name, help)) as Counter;
  }
  gauge(name: string, help: string): Gauge {
    return this.register(name, () => new Gauge(name, help)) as Gauge;
  }
  private register(name: string, make: () => Metric): Metric {
    const existing = this.metrics.get(name);
    if (existing) return existing;
    const m = make();
    this.metrics.set(name, m);
    return m;
  }
  private readonly collectors: Array<() => void> = [];

  /** Runs before each render (process gauges are read at scrape time). */
  onCollect(fn: () => void): void {
    this.collectors.push(fn);
  }

  render(): string {
    for (const fn of this.collectors) fn();
    return [...this.metrics.values()].map((m) => m.render()).join("\n") + "\n";
  }
}

/** The metrics every service exposes, created in one registry. */
export function standardMetrics(registry: Registry) {
  const rss = registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  const heap = registry.gauge("nodejs_heap_used_bytes", "V8 heap in use, in bytes.");
  const heapTotal = registry.gauge("nodejs_heap_total_bytes", "V8 heap reserved, in bytes.");
  const external = registry.gauge("nodejs_external_memory_bytes", "Memory of buffers outside the V8 heap, in bytes.");
  registry.onCollect(() => {
    const m = process.memoryUsage();
    rss.set(m.rss);
    heap.set(m.heapUsed);
    external.set(m.external);
    heapTotal.set(m.heapTotal);
  });
  return {
    messagesIn: registry.counter("pipeline_messages_in_total", "Messages received (from upstream or the transport)."),
    messagesOut: registry.counter("pipeline_messages_out_total", "Messages published or rows written."),
    rejects: registry.counter("pipeline_rejects_total", "Inputs rejected, by reason."),
    reconnects: registry.counter("pipeline_reconnects_total", "Reconnections to the upstream source."),
    flushSeconds: registry.counter("pipeline_flush_seconds_total", "Time spent writing output files, in seconds."),
    flushes: registry.counter(
      "pipeline_flushes_total",
      "Writes of output files (each one copy, append, fsync, rename).",
    ),
    replayed: registry.counter(
      "pipeline_replayed_total",
      "Messages skipped after a restart because their effect was already written (Kafka log replay).",
    ),
    lastEventTime: registry.gauge(
      "pipeline_last_event_time_seconds",
      "Event time of the newest event seen (seconds since epoch).",
    ),
  };
}
export type StandardMetrics = ReturnType<typeof standardMetrics>;
