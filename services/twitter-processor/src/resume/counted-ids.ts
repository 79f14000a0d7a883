/**
 * Ids of the tweets counted in sentiment windows that are not closed yet,
 * per window start. Kafka may deliver a message twice (a replay after a
 * crash or a rebalance); a tweet already counted in its window must not be
 * counted again, even when its /tweets row is already stored and, after a
 * rebalance, even when part of the window was written as a partial row.
 * Entries go once their window is closed and written: from then on the window
 * book calls the tweet late.
 */
export class CountedIds {
  private readonly byWindow = new Map<number, Set<string>>();
  private readonly all = new Set<string>();

  add(windowStart: number, id: string): void {
    let s = this.byWindow.get(windowStart);
    if (!s) this.byWindow.set(windowStart, (s = new Set()));
    s.add(id);
    this.all.add(id);
  }

  has(id: string): boolean {
    return this.all.has(id);
  }

  /** Forgets the windows starting before `closedBefore` (closed and written). */
  pruneBefore(closedBefore: number): void {
    for (const [start, ids] of this.byWindow) {
      if (start >= closedBefore) continue;
      for (const id of ids) this.all.delete(id);
      this.byWindow.delete(start);
    }
  }

  get size(): number {
    return this.all.size;
  }
}
