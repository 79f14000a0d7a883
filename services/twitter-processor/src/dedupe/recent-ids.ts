/**
 * The ids of the most recently stored tweets, bounded.
 *
 * Why bounded is enough: the producer asks for tweets newer than since_id,
 * which only moves forward, so a tweet can reach us twice only when a recent
 * page is fetched again (a crash or stop mid-pagination, a since_id save that
 * failed, an at-least-once transport replaying recent messages). Those are
 * among the last few thousand tweets stored, far inside the default 500,000.
 * Forgetting older ids keeps memory flat (about 100 bytes per id) on a
 * service that runs for months.
 *
 * A ring of ids plus a set: O(1) add, has and eviction of the oldest.
 */
export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly set = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string | undefined>(capacity);
  }

  has(id: string): boolean {
    return this.set.has(id);
  }

  /** Remembers an id, forgetting the oldest one when full. Re-adding a known id does nothing. */
  add(id: string): void {
    if (this.set.has(id)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.set.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.set.add(id);
  }

  get size(): number {
    return this.set.size;
  }
}
