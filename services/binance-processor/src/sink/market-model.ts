/**
 * The binance-processor's part of the sink runtime: market messages become
 * window contributions, closed windows become rows of `/<stream>/<SYMBOL>`
 * (flagged by the gaps recorded so far), gap markers rows of `/gaps`, closed
 * klines rows of `/kline/<SYMBOL>`; a restart reads back which windows (and
 * which log ranges of partial windows), gaps and klines the file already holds.
 */
import { jsonCodec, type Delivery } from "@cryptostream/common";
import type { H5File } from "@cryptostream/common/hdf5/h5";
import { datasetPaths, readColumns } from "@cryptostream/common/hdf5/reader";
import type { Period } from "@cryptostream/common/store/layout";
import type {
  AcceptContext,
  Ready,
  RestoreContext,
  SinkModel,
  SinkWrite,
  Written,
} from "@cryptostream/common/sink/sink-model";
import type { WindowTable } from "@cryptostream/common/store/written-windows";
import { WrittenWindows } from "@cryptostream/common/store/written-windows";
import { ResumeFrontier } from "@cryptostream/common/store/resume-frontier";
import { windowStartOf } from "@cryptostream/common/window/window-book";
import { LateBackfill } from "../aggregate/late-backfill.js";
import { type ClosedWindow, MAX_EMPTY_WINDOWS, type MarketAggregator } from "../aggregate/market-aggregator.js";
import { groupKey } from "../aggregate/micro-batch.js";
import { emptyPartial } from "../aggregate/partial.js";
import type { DanfoLike } from "../aggregate/reduce-danfo.js";
import type { StreamSpec } from "../aggregate/spec.js";
import { windowFrame } from "../aggregate/window-frame.js";
import { gapPayload, parseGapMarker, type GapMarker } from "../events/gap-marker.js";
import { KLINE_EVENT_TYPE, parseKline } from "../events/kline-event.js";
import { parseMarketMessage } from "../events/market-event.js";
import { GAP_FLAG, GapFlags, gapFlag } from "../gaps/gap-flags.js";
import { gapWrite, readGaps } from "../gaps/gap-table.js";
import { KlineStarts } from "../klines/kline-starts.js";
import { klineWrites, readKlineStarts } from "../klines/kline-table.js";
import type { MarketUnit } from "./market-unit.js";
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
  /**
   * A gap marker of this table's stream type arrived after a window it overlaps was handed to
   * the writer: each such window gets an extra count-0 row carrying the flag.
   */
  readonly onGapAfterWrite?: (gap: GapMarker) => void;
  /** A backfilled trade came after its window was written: it goes to an extra row of that window. */
  readonly onLateBackfill?: (symbol: string, windowStart: number) => void;
}

/** Kline starts remembered exactly per symbol (a week of 1m klines). */
const KLINES_KEPT = 10_080;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class MarketModel implements SinkModel<MarketUnit> {
  private aggregator: MarketAggregator;
  private flags: GapFlags;
  /** Gaps and klines accepted and not yet handed to the runtime. */
  private readyExtras: Ready<MarketUnit>[] = [];
  /** "partition:offset" of the gap markers the file holds (Kafka replays skip them). */
  private writtenGaps = new Set<string>();
  /** The klines written or accepted, per symbol (one row per interval start). */
  private klineStarts = new KlineStarts(KLINES_KEPT);
  private seq = 0;
  /** symbol -> end of the newest window handed to the writer (a later marker cannot flag it). */
  private handedEnd = new Map<string, number>();
  /** What the store holds of the window tables (replays), and the crash frontier (no log): the store's, set at restore. */
  private written = new WrittenWindows();
  private frontier = new ResumeFrontier(false);
  readonly windowTables: readonly WindowTable[];
  readonly windowRules: { readonly sizeMs: number; readonly latenessMs: number };
  /**
   * After a crash without a log (ZeroMQ): symbol -> end of its newest window in the store. The
   * symbol's first event after the restart records the windows in between as a `crash` gap.
   */
  private crashFrom = new Map<string, number>();
  /** Backfilled trades of windows already written (an outage longer than the lateness). */
  private lateBackfill: LateBackfill;
  /** Values of the event being parsed (reused: the aggregator copies them). */
  private readonly scratch: Float64Array;
  private readonly sizeMs: number;

  constructor(private readonly o: MarketModelOptions) {
    this.aggregator = o.aggregator();
    this.flags = new GapFlags(o.spec.stream);
    this.scratch = new Float64Array(o.spec.fields.length);
    this.sizeMs = Math.round(o.windowSeconds * 1000);
    this.lateBackfill = new LateBackfill(o.spec.fields.length, this.sizeMs);
    this.windowTables = [{ prefix: `/${o.spec.stream}/` }];
    this.windowRules = { sizeMs: this.sizeMs, latenessMs: Math.round(o.latenessSeconds * 1000) };
  }

  accept(d: Delivery, ctx: AcceptContext): void {
    let msg: unknown;
    try {
      msg = jsonCodec.decode(d.value);
    } catch (err) {
      return ctx.reject("not_json", (err as Error).message);
    }
    const gap = gapPayload(msg);
    if (gap) return this.acceptGap(gap, d, ctx);
    if (isObject(msg) && isObject(msg.data) && msg.data.e === KLINE_EVENT_TYPE) return this.acceptKline(msg.data, ctx);
    const p = parseMarketMessage(msg, this.o.spec, this.o.symbols, this.scratch);
    if (!p.ok) return ctx.reject(p.reason, p.detail);
    const backfilled = this.o.spec.stream === "aggTrade" && (msg as { backfill?: unknown }).backfill === true;
    if (!backfilled) this.lateBackfill.settle(p.symbol);
    if (p.time > ctx.now + this.o.maxFutureSkewMs)
      return ctx.reject(
        "bad_event_time",
        `event time ${p.time} is more than ${this.o.maxFutureSkewMs} ms ahead of the clock`,
      );
    ctx.keyTime(p.symbol, p.time);
    const start = windowStartOf(p.time, this.sizeMs);
    const inFile = ctx.replays ? this.written.state(p.symbol, start, d.partition, ctx.offset) : "open";
    if (inFile !== "open") {
      // Event time moves as it did the first time; the count is in the file, or the window closed before it came.
      this.aggregator.observe(p.symbol, p.time, ctx.now);
      if (inFile === "counted") return ctx.replayed();
      if (backfilled) return this.acceptLateBackfill(p.symbol, start, p.time, p.values, ctx);
      return ctx.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
    }
    if (this.aggregator.add(p.symbol, p.time, p.values, ctx.now) === "late") {
      if (backfilled) return this.acceptLateBackfill(p.symbol, start, p.time, p.values, ctx);
      return ctx.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
    }
    if (ctx.replays) ctx.hold(groupKey(p.symbol, start));
    else {
      this.frontier.note(p.symbol, p.time);
      if (this.crashFrom.size > 0) this.recordCrashGap(p.symbol, p.time);
    }
    ctx.eventTime(p.time);
  }

  /**
   * The first event of a symbol after a crash on a transport without a log: the windows from
   * the newest one in the store up to those this run may have missed the start of (the
   * resume frontier) lost events that no transport can bring back. They become a `/gaps` row
   * (cause `crash`, unfilled, missing unknown), and the windows still to be written get its flag.
   */
  private recordCrashGap(symbol: string, time: number): void {
    const from = this.crashFrom.get(symbol);
    if (from === undefined) return;
    this.crashFrom.delete(symbol);
    const latenessMs = Math.round(this.o.latenessSeconds * 1000);
    const to = windowStartOf(time + latenessMs, this.sizeMs) + this.sizeMs;
    if (to <= from) return;
    const gap: GapMarker = {
      symbol,
      stream: `${symbol.toLowerCase()}@${this.o.spec.stream}`,
      from,
      to,
      cause: "crash",
      filled: false,
      missing: -1,
    };
    this.flags.add(gap);
    this.readyExtras.push({ key: `gap\u0000${this.seq++}`, unit: { kind: "gap", gap } });
  }

  /** A backfilled trade of a window already closed: counted in an extra row of that window. */
  private acceptLateBackfill(
    symbol: string,
    start: number,
    time: number,
    values: ArrayLike<number>,
    ctx: AcceptContext,
  ): void {
    ctx.hold(this.lateBackfill.add(symbol, start, time, values));
    this.aggregator.noteCounted(symbol, start);
    this.o.onLateBackfill?.(symbol, start);
    ctx.eventTime(time);
  }

  /**
   * A gap marker: flags the windows of its symbol that are still to be written, gives each
   * window it overlaps that was already handed to the writer an extra count-0 row carrying
   * the flag (merged, the window is flagged), and becomes a /gaps row.
   */
  private acceptGap(data: Record<string, unknown>, d: Delivery, ctx: AcceptContext): void {
    const p = parseGapMarker(data);
    if (!p.ok) return ctx.reject("bad_gap_marker", p.detail);
    if (this.o.symbols && !this.o.symbols.has(p.gap.symbol))
      return ctx.reject("unknown_symbol", `symbol ${p.gap.symbol} is not configured`);
    this.lateBackfill.settle(p.gap.symbol);
    if (ctx.replays && this.writtenGaps.has(`${d.partition}:${ctx.offset}`)) return ctx.replayed();
    this.flags.add(p.gap);
    const handed = this.handedEnd.get(p.gap.symbol);
    if (handed !== undefined && p.gap.from < p.gap.to && p.gap.from < handed && this.flags.covers(p.gap)) {
      this.o.onGapAfterWrite?.(p.gap);
      this.flagWritten(p.gap, Math.min(handed, p.gap.to), ctx);
    }
    const key = `gap\u0000${this.seq++}`;
    ctx.hold(key);
    this.readyExtras.push({ key, unit: { kind: "gap", gap: p.gap } });
  }

  /** Count-0 rows with the gap's flag for the windows from the gap's start up to `until`. */
  private flagWritten(gap: GapMarker, until: number, ctx: AcceptContext): void {
    const first = windowStartOf(gap.from, this.sizeMs);
    const last = Math.min(until, first + MAX_EMPTY_WINDOWS * this.sizeMs);
    for (let start = first; start < last; start += this.sizeMs) {
      const key = `flag\u0000${this.seq++}`;
      ctx.hold(key);
      const window: ClosedWindow = {
        symbol: gap.symbol,
        windowStart: start,
        windowEnd: start + this.sizeMs,
        partial: emptyPartial(this.o.spec.fields.length),
        complete: true,
        gap: gapFlag(gap),
      };
      this.readyExtras.push({ key, unit: { kind: "window", window } });
    }
  }

  /** A kline: a closed one not yet stored becomes a /kline/<SYMBOL> row; open ones are passed over. */
  private acceptKline(data: Record<string, unknown>, ctx: AcceptContext): void {
    const p = parseKline(data);
    if (!p.ok) return ctx.reject("bad_kline", p.detail);
    const k = p.kline;
    if (k === undefined) return;
    if (this.o.symbols && !this.o.symbols.has(k.symbol))
      return ctx.reject("unknown_symbol", `symbol ${k.symbol} is not configured`);
    if (!this.klineStarts.add(k.symbol, k.openTime)) return ctx.replayed();
    const key = `kline\u0000${this.seq++}`;
    ctx.hold(key);
    this.readyExtras.push({ key, unit: { kind: "kline", kline: k } });
  }

  tick(now: number): void {
    this.aggregator.tick(now);
  }

  resumeWatermark(symbol: string, ms: number, now: number): void {
    if (this.o.symbols && !this.o.symbols.has(symbol)) return;
    this.aggregator.resumeWatermark(symbol, ms, now);
  }

  takeReady(): Ready<MarketUnit>[] {
    const extras = this.readyExtras;
    this.readyExtras = [];
    return [...extras, ...this.ready(this.aggregator.takeClosed()), ...this.lateRows(this.lateBackfill.take())];
  }

  drainOpen(): Ready<MarketUnit>[] {
    return [...this.ready(this.aggregator.drain()), ...this.lateRows(this.lateBackfill.take(true))];
  }

  /** Extra rows of late backfilled trades: a backfill is a gap's by definition, so gap >= 1. */
  private lateRows(rows: ReturnType<LateBackfill["take"]>): Ready<MarketUnit>[] {
    return rows.map(({ key, window: w }) => {
      const gap = Math.max(GAP_FLAG.filled, this.flags.flag(w.symbol, w.windowStart, w.windowEnd));
      return { key, unit: { kind: "window", window: { ...w, gap } } };
    });
  }

  private ready(closed: readonly ClosedWindow[]): Ready<MarketUnit>[] {
    const out: Ready<MarketUnit>[] = [];
    for (const w of closed) {
      // An empty window a replay re-creates is in the file already.
      if (w.partial.count === 0 && this.written.state(w.symbol, w.windowStart, -2, -2) !== "open") continue;
      const gap = this.flags.flag(w.symbol, w.windowStart, w.windowEnd);
      if (w.windowEnd > (this.handedEnd.get(w.symbol) ?? -Infinity)) this.handedEnd.set(w.symbol, w.windowEnd);
      const complete = w.complete && !this.frontier.partial(w.symbol, w.windowStart);
      out.push({ key: groupKey(w.symbol, w.windowStart), unit: { kind: "window", window: { ...w, complete, gap } } });
    }
    return out;
  }

  openWindows(): number {
    return this.aggregator.openWindowCount();
  }

  rowTime(unit: MarketUnit): number {
    if (unit.kind === "window") return unit.window.windowStart;
    if (unit.kind === "kline") return unit.kline.openTime;
    return Number.isFinite(unit.gap.to) ? unit.gap.to : unit.gap.from;
  }

  layout(units: readonly Written<MarketUnit>[], _period?: Period): SinkWrite {
    const { spec, dfd, windowSeconds, latenessSeconds } = this.o;
    const windows: ClosedWindow[] = [];
    const origins: Written<MarketUnit>["origin"][] = [];
    const gaps: Parameters<typeof gapWrite>[0][number][] = [];
    const klines: Parameters<typeof klineWrites>[0][number][] = [];
    for (const { unit, origin } of units) {
      if (unit.kind === "window") {
        windows.push(unit.window);
        origins.push(origin);
      } else if (unit.kind === "gap") gaps.push({ gap: unit.gap, origin });
      else klines.push({ kline: unit.kline, origin });
    }
    const tables = windowFrame(dfd, spec, windows, origins);
    return {
      writes: [
        ...(gaps.length > 0 ? [gapWrite(gaps)] : []),
        ...klineWrites(klines),
        ...marketWrites(spec, tables, windowSeconds, latenessSeconds),
      ],
    };
  }

  reset(): void {
    this.aggregator = this.o.aggregator();
    this.lateBackfill = new LateBackfill(this.o.spec.fields.length, this.sizeMs);
    this.readyExtras = [];
  }

  restore(files: readonly H5File[], ctx: RestoreContext): void {
    this.frontier = ctx.frontier;
    this.written = ctx.written;
    this.flags = new GapFlags(this.o.spec.stream);
    this.handedEnd = new Map();
    this.writtenGaps = new Set();
    this.crashFrom = new Map();
    this.klineStarts = new KlineStarts(KLINES_KEPT);
    const prefix = `/${this.o.spec.stream}/`;
    for (const file of files) {
      const paths = datasetPaths(file);
      readKlineStarts(file, paths, KLINES_KEPT, this.klineStarts);
      for (const { gap, origin } of readGaps(file)) {
        this.flags.add(gap);
        if (origin.partition >= 0) this.writtenGaps.add(`${origin.partition}:${origin.first}`);
      }
      for (const path of paths) {
        if (!path.startsWith(prefix)) continue;
        const symbol = path.slice(prefix.length);
        if (!ctx.replays && ctx.crashed) {
          const end = readColumns(file, path, ["window_end"], 1).get("window_end")![0];
          if (end !== undefined && Number(end) > (this.crashFrom.get(symbol) ?? -Infinity))
            this.crashFrom.set(symbol, Number(end));
        }
      }
    }
    if (!ctx.replays) return;
    for (const symbol of this.written.keys()) {
      const newest = this.written.newestComplete(symbol);
      if (newest !== undefined) this.aggregator.restore(symbol, newest + this.sizeMs, ctx.now);
    }
  }
}
