/**
 * The pure heart of the binance-processor: admits parsed market events into
 * per-symbol tumbling windows, reduces them in micro-batches into mergeable
 * partials, and hands back the windows that closed. No IO, no clock of its
 * own: callers pass the wall-clock time.
 */

import { WindowBook, type WindowRules } from "@cryptostream/common/window/window-book";
import { MicroBatch, type GroupPartial } from "./micro-batch.js";
import { emptyPartial, mergePartial, type Partial } from "./partial.js";
import type { StreamSpec } from "./spec.js";

export type Reducer = (batch: MicroBatch) => Map<string, GroupPartial<Partial>>;

export interface ClosedWindow {
  readonly symbol: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly partial: Partial;
  /** False when written early (at shutdown) before the window closed. */
  readonly complete: boolean;
}

export interface AggregatorOptions {
  readonly spec: StreamSpec;
  readonly rules: WindowRules;
  readonly reduce: Reducer;
  /** Reduce once this many events are pending (bounds memory per batch). */
  readonly maxPending?: number;
}

export class MarketAggregator {
  readonly spec: StreamSpec;
  private readonly book: WindowBook;
  private readonly reduce: Reducer;
  private readonly maxPending: number;
  private pending: MicroBatch;
  /** symbol -> window start -> partial of the events reduced so far. */
  private readonly open = new Map<string, Map<number, Partial>>();
  private closed: ClosedWindow[] = [];

  constructor(opts: AggregatorOptions) {
    this.spec = opts.spec;
    this.book = new WindowBook(opts.rules);
    this.reduce = opts.reduce;
    this.maxPending = opts.maxPending ?? 20_000;
    this.pending = new MicroBatch(opts.spec.fields.length);
  }

  /** Admits one event; returns false when it is late (its window already closed). */
  add(symbol: string, time: number, values: ArrayLike<number>, nowMs: number): boolean {
    const a = this.book.admit(symbol, time, nowMs);
    if (a.late) return false;
    this.pending.push(symbol, a.windowStart, time, values);
    if (a.closeBefore !== undefined) {
      this.flushPending();
      this.closeWindows(symbol, a.closeBefore, true);
    } else if (this.pending.length >= this.maxPending) {
      this.flushPending();
    }
    return true;
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

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const groups = this.reduce(this.pending);
    this.pending.clear();
    for (const { symbol, windowStart, partial } of groups.values()) {
      let windows = this.open.get(symbol);
      if (!windows) {
        windows = new Map();
        this.open.set(symbol, windows);
      }
      const existing = windows.get(windowStart);
      if (existing) mergePartial(existing, partial);
      else {
        const fresh = emptyPartial(this.spec.fields.length);
        mergePartial(fresh, partial);
        windows.set(windowStart, fresh);
      }
    }
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
