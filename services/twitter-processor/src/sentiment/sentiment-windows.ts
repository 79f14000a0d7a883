/**
 * Tumbling event-time windows of tweet sentiment, one key for the whole
 * stream, with the same rules as the market windows (WindowBook). Pure: the
 * caller passes the wall-clock time.
 */
import { WindowBook, type WindowRules } from "@cryptostream/common/window/window-book";
import type { SentimentLabel } from "../text/index.js";

const KEY = "twitter";

export interface SentimentWindow {
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
  private readonly open = new Map<number, SentimentWindow>();
  private closed: SentimentWindow[] = [];

  constructor(readonly rules: WindowRules) {
    this.book = new WindowBook(rules);
  }

  /** Counts one tweet; returns late when its window has already closed. */
  add(createdAt: number, score: number, label: SentimentLabel, nowMs: number): Admitted {
    const a = this.book.admit(KEY, createdAt, nowMs);
    if (a.late) return a;
    let w = this.open.get(a.windowStart);
    if (!w) {
      w = {
        windowStart: a.windowStart,
        windowEnd: a.windowStart + this.rules.sizeMs,
        count: 0,
        scoreSum: 0,
        positive: 0,
        neutral: 0,
        negative: 0,
        complete: true,
      };
      this.open.set(a.windowStart, w);
    }
    w.count++;
    w.scoreSum += score;
    w[label]++;
    if (a.closeBefore !== undefined) this.close(a.closeBefore, true);
    return { late: false, windowStart: a.windowStart };
  }

  /** After a restart: windows starting before `closedBefore` had closed (the file says so). */
  restore(closedBefore: number, nowMs: number): void {
    this.book.restore(KEY, closedBefore, nowMs);
  }

  /**
   * A tweet already counted in the file (a log replay): it moves event time,
   * and so closes windows, as it did the first time, but is not counted again.
   */
  observe(createdAt: number, nowMs: number): void {
    const a = this.book.admit(KEY, createdAt, nowMs);
    if (!a.late && a.closeBefore !== undefined) this.close(a.closeBefore, true);
  }

  /** Windows starting before this are closed. */
  closedBefore(): number {
    return this.book.closedBefore(KEY);
  }

  /** Wall-clock closing once the stream has gone quiet. */
  tick(nowMs: number): void {
    for (const { closeBefore } of this.book.tick(nowMs)) this.close(closeBefore, true);
  }

  /** Windows closed since the last call, oldest first. */
  takeClosed(): SentimentWindow[] {
    const out = this.closed;
    this.closed = [];
    return out;
  }

  /** Every open window, marked incomplete (graceful stop). */
  drain(): SentimentWindow[] {
    this.close(Infinity, false);
    return this.takeClosed();
  }

  openCount(): number {
    return this.open.size;
  }

  private close(closeBefore: number, complete: boolean): void {
    const starts = [...this.open.keys()].filter((s) => s < closeBefore).sort((a, b) => a - b);
    for (const s of starts) {
      const w = this.open.get(s)!;
      w.complete = complete;
      this.closed.push(w);
      this.open.delete(s);
    }
  }
}

export const scoreMean = (w: SentimentWindow): number => (w.count === 0 ? 0 : w.scoreSum / w.count);
