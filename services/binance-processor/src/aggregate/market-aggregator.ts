/**
 * The pure heart of the binance-processor: admits parsed market events into
 * per-symbol tumbling windows, reduces them in micro-batches into mergeable
 * partials, and hands back the windows that closed. No IO, no clock of its
 * own: callers pass the wall-clock time.
 */

import { WindowBook, type WindowRules } from "@cryptostream/common/window/window-book";
import { MicroBatch, type GroupPartial } from "./micro-batch.js";
import { addEvent, emptyPartial, mergePartial, type Partial } from "./partial.js";
import type { StreamSpec } from "./spec.js";

/**
 * Most empty windows written between two events of a symbol (spec.fillEmpty); a longer
 * silence gets no rows (a day of one-minute windows is 1,440).
 */
export const MAX_EMPTY_WINDOWS = 10_000;

export type Reducer = (batch: MicroBatch) => Map<string, GroupPartial<Partial>>;

export interface ClosedWindow {
  readonly symbol: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly partial: Partial;
  /** False when written early (at shutdown) before the window closed. */
  readonly complete: boolean;
  /** What a recorded gap says about the window (GAP_FLAG in sink/gap-flags.ts); 0 when none. */
  readonly gap?: number;
}

/** What became of an event offered to the aggregator. */
export type Admitted = "ok" | "late";

export interface AggregatorOptions {
  readonly spec: StreamSpec;
  readonly rules: WindowRules;
  /**
   * Micro-batch reducer (e.g. the danfojs one). Without it each event is
   * added straight into its window, in arrival order: sums then do not depend
   * on how the transport batched the events, so a replay after a crash
   * reproduces every row to the last bit.
   */
  readonly reduce?: Reducer;
  /** Reduce once this many events are pending (bounds memory per batch). */
  readonly maxPending?: number;
}

export class MarketAggregator {
  readonly spec: StreamSpec;
  private readonly book: WindowBook;
  private readonly reduce: Reducer | undefined;
  private readonly maxPending: number;
  private pending: MicroBatch;
  /** symbol -> window start -> partial of the events reduced so far. */
  private readonly open = new Map<string, Map<number, Partial>>();
  private closed: ClosedWindow[] = [];
  /** symbol -> start of the first window after the newest one that has (or had) events. */
  private readonly nextStart = new Map<string, number>();

  constructor(opts: AggregatorOptions) {
    this.spec = opts.spec;
    this.book = new WindowBook(opts.rules);
    this.reduce = opts.reduce;
    this.maxPending = opts.maxPending ?? 20_000;
    this.pending = new MicroBatch(opts.spec.fields.length);
  }

  /** Admits one event; "late" when its window already closed. */
  add(symbol: string, time: number, values: ArrayLike<number>, nowMs: number): Admitted {
    const a = this.book.admit(symbol, time, nowMs);
    if (a.late) return "late";
    if (this.spec.fillEmpty) this.fillEmpty(symbol, a.windowStart);
    if (this.reduce) this.pending.push(symbol, a.windowStart, time, values);
    else addEvent(this.windowOf(symbol, a.windowStart), time, values);
    if (a.closeBefore !== undefined) {
      this.flushPending();
      this.closeWindows(symbol, a.closeBefore, true);
    } else if (this.pending.length >= this.maxPending) {
      this.flushPending();
    }
    return "ok";
  }

  /**
   * After a restart: every window of `symbol` starting before `closedBefore`
   * had closed (the file says so); replayed events of them are late.
   */
  restore(symbol: string, closedBefore: number, nowMs: number): void {
    this.book.restore(symbol, closedBefore, nowMs);
  }

  /**
   * An event whose window is already in the file (a log replay): it moves
   * event time, and so closes windows, exactly as it did the first time, but
   * is not counted again.
   */
  /**
   * The watermark another reader of the symbol's partition had (a commit's metadata): windows
   * it closed are closed here too. Unlike observe, it notes no window as having had trades.
   */
  resumeWatermark(symbol: string, time: number, nowMs: number): void {
    const a = this.book.admit(symbol, time, nowMs);
    if (!a.late && a.closeBefore !== undefined) {
      this.flushPending();
      this.closeWindows(symbol, a.closeBefore, true);
    }
  }

  observe(symbol: string, time: number, nowMs: number): void {
    const a = this.book.admit(symbol, time, nowMs);
    if (this.spec.fillEmpty)
      this.noteWindow(symbol, Math.floor(time / this.book.rules.sizeMs) * this.book.rules.sizeMs);
    if (!a.late && a.closeBefore !== undefined) {
      this.flushPending();
      this.closeWindows(symbol, a.closeBefore, true);
    }
  }

  /**
   * A trade counted outside the open windows (a late backfilled one, aggregate/late-backfill.ts):
   * its window had trades, so the empty windows before it are rows and none is made for it later.
   */
  noteCounted(symbol: string, windowStart: number): void {
    if (this.spec.fillEmpty) this.fillEmpty(symbol, windowStart);
  }

  /** Closes windows of idle symbols whose end + lateness the wall clock has passed. */
  tick(nowMs: number): void {
    const due = this.book.tick(nowMs);
    if (due.length === 0) return;
    this.flushPending();
    for (const { key, closeBefore } of due) this.closeWindows(key, closeBefore, true);
  }

  /** Windows closed since the last call, ordered by symbol then start. */
  takeClosed(): ClosedWindow[] {
    const out = this.closed;
    this.closed = [];
    return out;
  }

  /** Every open window, marked incomplete (for a graceful stop). */
  drain(): ClosedWindow[] {
    this.flushPending();
    for (const symbol of [...this.open.keys()]) this.closeWindows(symbol, Infinity, false);
    return this.takeClosed();
  }

  /** Number of windows still open, over all symbols. */
  openWindowCount(): number {
    let n = 0;
    for (const w of this.open.values()) n += w.size;
    return n;
  }

  /**
   * Empty windows between the symbol's previous event window and `start` (the first
   * event of a symbol, and a silence longer than MAX_EMPTY_WINDOWS, fill nothing).
   */
  private fillEmpty(symbol: string, start: number): void {
    const next = this.nextStart.get(symbol);
    const size = this.book.rules.sizeMs;
    if (next !== undefined && start > next && (start - next) / size <= MAX_EMPTY_WINDOWS)
      for (let s = next; s < start; s += size) this.windowOf(symbol, s);
    this.noteWindow(symbol, start);
  }

  private noteWindow(symbol: string, start: number): void {
    const next = this.nextStart.get(symbol);
    const after = start + this.book.rules.sizeMs;
    if (next === undefined || after > next) this.nextStart.set(symbol, after);
  }

  private windowOf(symbol: string, windowStart: number): Partial {
    let windows = this.open.get(symbol);
    if (!windows) {
      windows = new Map();
      this.open.set(symbol, windows);
    }
    let p = windows.get(windowStart);
    if (!p) {
      p = emptyPartial(this.spec.fields.length);
      windows.set(windowStart, p);
    }
    return p;
  }

  private flushPending(): void {
    if (!this.reduce || this.pending.length === 0) return;
    const groups = this.reduce(this.pending);
    this.pending.clear();
    for (const { symbol, windowStart, partial } of groups.values())
      mergePartial(this.windowOf(symbol, windowStart), partial);
  }

  private closeWindows(symbol: string, closeBefore: number, complete: boolean): void {
    const windows = this.open.get(symbol);
    if (!windows) return;
    const starts = [...windows.keys()].filter((s) => s < closeBefore).sort((a, b) => a - b);
    const size = this.book.rules.sizeMs;
    for (const start of starts) {
      this.closed.push({ symbol, windowStart: start, windowEnd: start + size, partial: windows.get(start)!, complete });
      windows.delete(start);
    }
    if (windows.size === 0) this.open.delete(symbol);
  }
}
