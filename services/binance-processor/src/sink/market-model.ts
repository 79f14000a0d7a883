/**
 * The binance-processor's part of the sink runtime: market messages become
 * window contributions, closed windows become rows of `/<stream>/<SYMBOL>`,
 * and a restart reads back which windows (and which log ranges of partial
 * windows) the file already holds.
 */
import { jsonCodec, type Delivery } from "@cryptostream/common";
import type { H5File } from "@cryptostream/common/hdf5/h5";
import { datasetPaths } from "@cryptostream/common/hdf5/reader";
import type {
  AcceptContext,
  Ready,
  RestoreContext,
  SinkModel,
  SinkWrite,
  Written,
} from "@cryptostream/common/sink/sink-model";
import { readWrittenRows, WrittenWindows } from "@cryptostream/common/sink/written-windows";
import { ResumeFrontier } from "@cryptostream/common/window/resume-frontier";
import { windowStartOf } from "@cryptostream/common/window/window-book";
import type { ClosedWindow, MarketAggregator } from "../aggregate/market-aggregator.js";
import { groupKey } from "../aggregate/micro-batch.js";
import type { DanfoLike } from "../aggregate/reduce-danfo.js";
import type { StreamSpec } from "../aggregate/spec.js";
import { windowFrame } from "../aggregate/window-frame.js";
import { parseMarketMessage } from "../events/market-event.js";
import { marketWrites } from "./market-table.js";

export interface MarketModelOptions {
  readonly spec: StreamSpec;
  readonly dfd: DanfoLike;
  /** A fresh aggregator (called again after every reset). */
  readonly aggregator: () => MarketAggregator;
  readonly symbols: ReadonlySet<string> | null;
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly maxFutureSkewMs: number;
}

export class MarketModel implements SinkModel<ClosedWindow> {
  private aggregator: MarketAggregator;
  private written = new WrittenWindows();
  private frontier = new ResumeFrontier(false);
  /** Values of the event being parsed (reused: the aggregator copies them). */
  private readonly scratch: Float64Array;
  private readonly sizeMs: number;

  constructor(private readonly o: MarketModelOptions) {
    this.aggregator = o.aggregator();
    this.scratch = new Float64Array(o.spec.fields.length);
    this.sizeMs = Math.round(o.windowSeconds * 1000);
  }

  accept(d: Delivery, ctx: AcceptContext): void {
    let msg: unknown;
    try {
      msg = jsonCodec.decode(d.value);
    } catch (err) {
      return ctx.reject("not_json", (err as Error).message);
    }
    const p = parseMarketMessage(msg, this.o.spec, this.o.symbols, this.scratch);
    if (!p.ok) return ctx.reject(p.reason, p.detail);
    if (p.time > ctx.now + this.o.maxFutureSkewMs)
      return ctx.reject(
        "bad_event_time",
        `event time ${p.time} is more than ${this.o.maxFutureSkewMs} ms ahead of the clock`,
      );
    const start = windowStartOf(p.time, this.sizeMs);
    const inFile = ctx.replays ? this.written.state(p.symbol, start, d.partition, ctx.offset) : "open";
    if (inFile !== "open") {
      // Event time moves as it did the first time; the count is in the file, or the window closed before it came.
      this.aggregator.observe(p.symbol, p.time, ctx.now);
      if (inFile === "counted") return ctx.replayed();
      return ctx.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
    }
    if (this.aggregator.add(p.symbol, p.time, p.values, ctx.now) === "late")
      return ctx.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
    if (ctx.replays) ctx.hold(groupKey(p.symbol, start));
    else this.frontier.note(p.symbol, p.time);
    ctx.eventTime(p.time);
  }

  tick(now: number): void {
    this.aggregator.tick(now);
  }

  takeReady(): Ready<ClosedWindow>[] {
    return this.ready(this.aggregator.takeClosed());
  }

  drainOpen(): Ready<ClosedWindow>[] {
    return this.ready(this.aggregator.drain());
  }

  private ready(closed: readonly ClosedWindow[]): Ready<ClosedWindow>[] {
    return closed.map((w) => ({
      key: groupKey(w.symbol, w.windowStart),
      unit: this.frontier.partial(w.symbol, w.windowStart) ? { ...w, complete: false } : w,
    }));
  }

  openWindows(): number {
    return this.aggregator.openWindowCount();
  }

  layout(units: readonly Written<ClosedWindow>[]): SinkWrite {
    const { spec, dfd, windowSeconds, latenessSeconds } = this.o;
    const tables = windowFrame(
      dfd,
      spec,
      units.map((u) => u.unit),
      units.map((u) => u.origin),
    );
    return { writes: marketWrites(spec, tables, windowSeconds, latenessSeconds) };
  }

  reset(): void {
    this.aggregator = this.o.aggregator();
  }

  restore(file: H5File | undefined, ctx: RestoreContext): void {
    this.frontier = new ResumeFrontier(
      !ctx.replays && ctx.crashed,
      this.sizeMs,
      Math.round(this.o.latenessSeconds * 1000),
    );
    this.written = new WrittenWindows();
    if (!ctx.replays || !file) return;
    const prefix = `/${this.o.spec.stream}/`;
    for (const path of datasetPaths(file))
      if (path.startsWith(prefix)) readWrittenRows(file, path, path.slice(prefix.length), this.written);
    for (const symbol of this.written.keys()) {
      const newest = this.written.newestComplete(symbol);
      if (newest !== undefined) this.aggregator.restore(symbol, newest + this.sizeMs, ctx.now);
    }
  }
}
