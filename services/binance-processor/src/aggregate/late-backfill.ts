/**
 * Backfilled trades whose window was already written (pure, no IO).
 *
 * The producer fetches the trades an outage missed over REST and publishes them, marked
 * `backfill: true`, before the live ones. When the outage outlasted the processor's lateness,
 * the wall clock has closed and written their windows by then. Rejecting them as late would
 * leave those rows short by exactly the trades the backfill exists to restore, so each such
 * window gets one more row holding only those trades; readers merge a window's rows by the
 * documented rule (docs/hdf5-layout.md, "Merging rows of one window").
 *
 * Only backfilled trades take this path: a live event that comes late is still rejected.
 */
import type { ClosedWindow } from "./market-aggregator.js";
import { addEvent, emptyPartial, type Partial } from "./partial.js";

export class LateBackfill {
  /** "symbol\0windowStart" -> the trades gathered since the last take. */
  private readonly pending = new Map<string, { symbol: string; windowStart: number; partial: Partial }>();
  private readonly settled = new Set<string>();
  /** Bumped by every take, so a row gathered after it is held under a key of its own. */
  private generation = 0;

  constructor(
    private readonly nFields: number,
    private readonly sizeMs: number,
  ) {}

  /** Counts one late backfilled trade into its window's extra row; returns that row's key. */
  add(symbol: string, windowStart: number, time: number, values: ArrayLike<number>): string {
    const key = `late\u0000${symbol}\u0000${windowStart}\u0000${this.generation}`;
    let w = this.pending.get(key);
    if (!w) this.pending.set(key, (w = { symbol, windowStart, partial: emptyPartial(this.nFields) }));
    addEvent(w.partial, time, values);
    return key;
  }

  /**
   * A message of `symbol` that is not a backfilled trade came: its backfill is over (the
   * producer sends the gap marker right after it), so its rows can be flagged and written.
   */
  settle(symbol: string): void {
    if (this.pending.size > 0) this.settled.add(symbol);
  }

  /**
   * The extra rows of settled symbols (`all`: of every symbol, at a stop), by symbol then window
   * start.
   */
  take(all = false): Array<{ key: string; window: ClosedWindow }> {
    if (this.pending.size === 0 || (!all && this.settled.size === 0)) return [];
    const taken = [...this.pending.entries()].filter(([, w]) => all || this.settled.has(w.symbol));
    for (const [key] of taken) this.pending.delete(key);
    this.settled.clear();
    this.generation++;
    const out = taken.map(([key, w]) => ({
      key,
      window: {
        symbol: w.symbol,
        windowStart: w.windowStart,
        windowEnd: w.windowStart + this.sizeMs,
        partial: w.partial,
        // The window had closed: its trades are all in now, split over two rows.
        complete: true,
      },
    }));
    out.sort((a, b) =>
      a.window.symbol === b.window.symbol
        ? a.window.windowStart - b.window.windowStart
        : a.window.symbol < b.window.symbol
          ? -1
          : 1,
    );
    return out;
  }

  get size(): number {
    return this.pending.size;
  }
}
