/**
 * Where a consumer may commit, given that some events sit in windows that are
 * not yet written. Kafka resumes a restarted consumer at the committed
 * offset, so, per partition, the commit point is the smallest offset of any
 * event held by an open window (everything before it is durable or was
 * rejected), or the highest offset seen + 1 when nothing is held.
 */
export interface CommitPosition {
  readonly partition: number;
  readonly offset: number;
}

export class CommitTracker {
  /** window key -> partition -> smallest offset held. */
  private readonly held = new Map<string, Map<number, number>>();
  private readonly maxSeen = new Map<number, number>();
  private readonly committed = new Map<number, number>();

  /** Every consumed message, accepted or not. */
  seen(p: CommitPosition): void {
    const m = this.maxSeen.get(p.partition);
    if (m === undefined || p.offset > m) this.maxSeen.set(p.partition, p.offset);
  }

  /** An event now belongs to the open window `windowKey`. */
  hold(windowKey: string, p: CommitPosition): void {
    let parts = this.held.get(windowKey);
    if (!parts) {
      parts = new Map();
      this.held.set(windowKey, parts);
    }
    const cur = parts.get(p.partition);
    if (cur === undefined || p.offset < cur) parts.set(p.partition, p.offset);
  }

  /** The window was written (or dropped): its events no longer hold the commit point back. */
  release(windowKey: string): void {
    this.held.delete(windowKey);
  }

  releaseAll(): void {
    this.held.clear();
  }

  /** Safe commit points that moved since the last call (next offset to read, per partition). */
  advance(): CommitPosition[] {
    const low = new Map<number, number>();
    for (const parts of this.held.values()) {
      for (const [partition, offset] of parts) {
        const cur = low.get(partition);
        if (cur === undefined || offset < cur) low.set(partition, offset);
      }
    }
    const out: CommitPosition[] = [];
    for (const [partition, max] of this.maxSeen) {
      const next = low.get(partition) ?? max + 1;
      if (next > (this.committed.get(partition) ?? -1)) {
        this.committed.set(partition, next);
        out.push({ partition, offset: next });
      }
    }
    return out;
  }
}
