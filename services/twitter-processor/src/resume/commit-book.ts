/**
 * Which offsets are safe to commit to Kafka. Pure; no IO.
 *
 * Kafka replays from the committed offset after a crash, so a commit must not
 * pass a message whose tweets still sit in a sentiment window that is open
 * (or closed but not yet written): those counts live only in memory. Per
 * partition the safe point is the smallest offset held by such a window,
 * else the highest offset seen + 1 (Kafka's next-offset convention).
 */
import type { CommitPoint, Delivery } from "@cryptostream/common";

interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

const keyOf = (p: PartitionRef): string => `${p.topic}\u0000${p.partition}`;

export class CommitBook {
  private readonly partitions = new Map<string, PartitionRef>();
  /** Highest offset seen + 1, per partition. */
  private readonly next = new Map<string, bigint>();
  /** Per window start: the smallest offset per partition of a message with a tweet counted in it. */
  private readonly holds = new Map<number, Map<string, bigint>>();
  /** What was last committed, so unchanged points are not sent again. */
  private readonly committed = new Map<string, string>();

  /** Records a delivered message (whatever became of its tweets). */
  seen(d: Delivery): void {
    const k = keyOf(d);
    if (!this.partitions.has(k)) this.partitions.set(k, { topic: d.topic, partition: d.partition });
    const n = BigInt(d.offset) + 1n;
    if (n > (this.next.get(k) ?? -1n)) this.next.set(k, n);
  }

  /** A tweet of `d` was counted in window `windowStart`: the window holds the message until written. */
  hold(windowStart: number, d: Delivery): void {
    let h = this.holds.get(windowStart);
    if (!h) this.holds.set(windowStart, (h = new Map()));
    const k = keyOf(d);
    const o = BigInt(d.offset);
    const cur = h.get(k);
    if (cur === undefined || o < cur) h.set(k, o);
  }

  /** The windows were written: they hold nothing any more. */
  release(windowStarts: Iterable<number>): void {
    for (const s of windowStarts) this.holds.delete(s);
  }

  heldWindows(): number {
    return this.holds.size;
  }

  /** Safe points (rule: smallest held offset, else highest seen + 1) that differ from the last commit. */
  safePoints(): CommitPoint[] {
    const min = new Map<string, bigint>();
    for (const h of this.holds.values()) for (const [k, o] of h) if (o < (min.get(k) ?? o + 1n)) min.set(k, o);
    return this.changed((k) => min.get(k) ?? this.next.get(k)!);
  }

  /** Highest seen + 1 for every partition, ignoring holds (after open windows were written as partial rows). */
  allSeenPoints(): CommitPoint[] {
    return this.changed((k) => this.next.get(k)!);
  }

  /** Marks points as committed (call after the transport accepted them). */
  markCommitted(points: readonly CommitPoint[]): void {
    for (const p of points) this.committed.set(keyOf(p), p.offset);
  }

  /**
   * Forgets every partition (after a rebalance): one that moved to another
   * replica must never be committed from here again, or a stale offset could
   * rewind the group. Partitions still ours come back with their next delivery.
   */
  reset(): void {
    this.partitions.clear();
    this.next.clear();
    this.holds.clear();
    this.committed.clear();
  }

  private changed(offsetOf: (k: string) => bigint): CommitPoint[] {
    const out: CommitPoint[] = [];
    for (const [k, p] of this.partitions) {
      const offset = offsetOf(k).toString();
      if (this.committed.get(k) !== offset) out.push({ topic: p.topic, partition: p.partition, offset });
    }
    return out;
  }
}
