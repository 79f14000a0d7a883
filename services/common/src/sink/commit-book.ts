/**
 * The one commit rule of both processors. Pure; no IO.
 *
 * A log transport (Kafka) resumes at the committed offset after a crash, so
 * a commit must never pass a message whose effect lives only in memory: in a
 * window still open, or closed but not yet written. Per partition the safe
 * point is the smallest offset held by such a unit, else the highest offset
 * seen + 1 (Kafka's next-offset convention). A point counts as committed only
 * once the transport accepted it, and `forget` drops every partition (after a
 * rebalance a partition may belong to another replica: committing it from here
 * again could rewind the group).
 *
 * Holds are kept per key (a window) with the offset range per partition, which
 * also gives the row its Origin.
 */
import type { CommitPoint } from "../transport/transport.js";
import { NO_ORIGIN, type Origin } from "./origin.js";

interface Range {
  first: number;
  last: number;
}

export class CommitBook {
  /** Highest offset seen + 1, per partition. */
  private readonly next = new Map<number, number>();
  /** key -> partition -> offsets held. */
  private readonly holds = new Map<string, Map<number, Range>>();
  private readonly committed = new Map<number, number>();

  constructor(private readonly topic: string) {}

  /** Every delivered message, whatever became of it. */
  seen(partition: number, offset: number): void {
    if (offset + 1 > (this.next.get(partition) ?? -1)) this.next.set(partition, offset + 1);
  }

  /** True when this message was delivered before, since the last `forget` (a re-delivery, already in memory or the file). */
  delivered(partition: number, offset: number): boolean {
    return offset < (this.next.get(partition) ?? 0);
  }

  /** The message now counts in `key` (a window not yet written). */
  hold(key: string, partition: number, offset: number): void {
    let parts = this.holds.get(key);
    if (!parts) this.holds.set(key, (parts = new Map()));
    const r = parts.get(partition);
    if (!r) parts.set(partition, { first: offset, last: offset });
    else {
      if (offset < r.first) r.first = offset;
      if (offset > r.last) r.last = offset;
    }
  }

  /** The offsets `key` counts: one partition's range, or NO_ORIGIN (none, or several partitions). */
  origin(key: string): Origin {
    const parts = this.holds.get(key);
    if (!parts || parts.size !== 1) return NO_ORIGIN;
    const [partition, r] = [...parts][0]!;
    return { partition, first: r.first, last: r.last };
  }

  /** `key` is written (durably): it no longer holds the commit point back. */
  release(key: string): void {
    this.holds.delete(key);
  }

  heldKeys(): number {
    return this.holds.size;
  }

  /** Safe points that differ from what was last committed. */
  safePoints(): CommitPoint[] {
    const low = new Map<number, number>();
    for (const parts of this.holds.values())
      for (const [p, r] of parts) if (r.first < (low.get(p) ?? Infinity)) low.set(p, r.first);
    return this.changed((p, next) => Math.min(low.get(p) ?? next, next));
  }

  /** Highest seen + 1 everywhere, ignoring holds (everything seen was just written). */
  allSeenPoints(): CommitPoint[] {
    return this.changed((_p, next) => next);
  }

  /** Call once the transport accepted the points. */
  markCommitted(points: readonly CommitPoint[]): void {
    for (const p of points) this.committed.set(p.partition, Number(p.offset));
  }

  /** Forgets every partition (rebalance, restart of the consumer). */
  forget(): void {
    this.next.clear();
    this.holds.clear();
    this.committed.clear();
  }

  private changed(offsetOf: (partition: number, next: number) => number): CommitPoint[] {
    const out: CommitPoint[] = [];
    for (const [partition, next] of this.next) {
      const offset = offsetOf(partition, next);
      // Never backwards: a redelivered old message must not rewind the group.
      if (offset > (this.committed.get(partition) ?? -1))
        out.push({ topic: this.topic, partition, offset: String(offset) });
    }
    return out;
  }
}
