/**
 * Tumbling event-time windows of tweet sentiment, one key per source
 * ("twitter", "bluesky"), with the same rules as the market windows
 * (WindowBook). Per source because each source has its own delivery lag:
 * Twitter's polls arrive 10-20 s behind, Bluesky's stream within a second; with
 * one key, Bluesky posts would close windows that polled tweets still fall in.
 * Pure: the caller passes the wall-clock time.
 */
import { WindowBook, type WindowRules } from "@cryptostream/common/window/window-book";
import type { SentimentLabel } from "../text/index.js";

/** The source of responses without one. */
export const DEFAULT_SOURCE = "twitter";

export interface SentimentWindow {
  readonly source: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  count: number;
  scoreSum: number;
  positive: number;
  neutral: number;
  negative: number;
  /** False when written early (graceful stop under ZeroMQ, or a Kafka rebalance) before the window closed. */
  complete: boolean;
}

export type Admitted = { readonly late: true } | { readonly late: false; readonly windowStart: number };

export class SentimentWindows {
  private readonly book: WindowBook;
  /** Open windows by source, then window start. */
  private readonly open = new Map<string, Map<number, SentimentWindow>>();
  private closed: SentimentWindow[] = [];

  constructor(readonly rules: WindowRules) {
    this.book = new WindowBook(rules);
  }

  /** Counts one tweet; returns late when its window has already closed. */
  add(createdAt: number, score: number, label: SentimentLabel, nowMs: number, source = DEFAULT_SOURCE): Admitted {
    const a = this.book.admit(source, createdAt, nowMs);
    if (a.late) return a;
    let open = this.open.get(source);
    if (!open) this.open.set(source, (open = new Map()));
    let w = open.get(a.windowStart);
    if (!w) {
      w = {
        source,
        windowStart: a.windowStart,
        windowEnd: a.windowStart + this.rules.sizeMs,
        count: 0,
        scoreSum: 0,
        positive: 0,
        neutral: 0,
        negative: 0,
        complete: true,
      };
      open.set(a.windowStart, w);
    }
    w.count++;
    w.scoreSum += score;
    w[label]++;
    if (a.closeBefore !== undefined) this.close(source, a.closeBefore, true);
    return { late: false, windowStart: a.windowStart };
  }

  /** After a restart: windows starting before `closedBefore` had closed (the file says so). */
  restore(closedBefore: number, nowMs: number, source = DEFAULT_SOURCE): void {
    this.book.restore(source, closedBefore, nowMs);
  }

  /**
   * A tweet already counted in the file (a log replay): it moves event time,
   * and so closes windows, as it did the first time, but is not counted again.
   */
  observe(createdAt: number, nowMs: number, source = DEFAULT_SOURCE): void {
    const a = this.book.admit(source, createdAt, nowMs);
    if (!a.late && a.closeBefore !== undefined) this.close(source, a.closeBefore, true);
  }

  /** Windows of `source` starting before this are closed. */
  closedBefore(source = DEFAULT_SOURCE): number {
    return this.book.closedBefore(source);
  }

  /** Wall-clock closing once a source has gone quiet. */
  tick(nowMs: number): void {
    for (const { key, closeBefore } of this.book.tick(nowMs)) this.close(key, closeBefore, true);
  }

  /** Windows closed since the last call, oldest first. */
  takeClosed(): SentimentWindow[] {
    const out = this.closed;
    this.closed = [];
    return out;
  }

  /** Every open window, marked incomplete (graceful stop). */
  drain(): SentimentWindow[] {
    for (const source of [...this.open.keys()].sort()) this.close(source, Infinity, false);
    return this.takeClosed();
  }

  openCount(): number {
    let n = 0;
    for (const open of this.open.values()) n += open.size;
    return n;
  }

  private close(source: string, closeBefore: number, complete: boolean): void {
    const open = this.open.get(source);
    if (!open) return;
    const starts = [...open.keys()].filter((s) => s < closeBefore).sort((a, b) => a - b);
    for (const s of starts) {
      const w = open.get(s)!;
      w.complete = complete;
      this.closed.push(w);
      open.delete(s);
    }
  }
}

export const scoreMean = (w: SentimentWindow): number => (w.count === 0 ? 0 : w.scoreSum / w.count);
