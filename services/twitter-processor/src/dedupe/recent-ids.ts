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
 * A ring of ids plus a map: O(1) add, has and eviction of the oldest. Each
 * id keeps where its message sat in the log (one number, see logPosition), so
 * a replay of the same message can be told from a re-fetched page.
 */

/** Partition and offset in one number (offsets stay below 2^40, partitions below 2^12); -1 without a log. */
export function logPosition(partition: number, offset: number): number {
  return partition < 0 || offset < 0 ? -1 : partition * 2 ** 40 + offset;
}
/** Row indexes of one partition file stay below this (2^26) to be remembered. */
const ROWS_PER_FILE = 2 ** 26;

export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly set = new Map<string, number>();
  /**
   * Where the id's row is, where known (a delete blanks that row): its index in /tweets of its
   * partition file and the minute of its window start (which names the partition), in one
   * number: minute * 2^26 + row.
   */
  private readonly rows = new Map<string, number>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string | undefined>(capacity);
  }

  has(id: string): boolean {
    return this.set.has(id);
  }

  /** Where the stored tweet's message sat in the log (logPosition), undefined when unknown. */
  position(id: string): number | undefined {
    return this.set.get(id);
  }

  /** Where the stored tweet's row sits in /tweets, undefined when unknown. */
  row(id: string): number | undefined {
    const v = this.rows.get(id);
    return v === undefined ? undefined : v % ROWS_PER_FILE;
  }

  /** The window start (to the minute) of the stored tweet's row, undefined when unknown. */
  time(id: string): number | undefined {
    const v = this.rows.get(id);
    return v === undefined ? undefined : Math.floor(v / ROWS_PER_FILE) * 60_000;
  }

  /** Remembers an id, forgetting the oldest one when full. Re-adding a known id does nothing. */
  add(id: string, position = -1, row?: number, time?: number): void {
    if (this.set.has(id)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) {
      this.set.delete(evicted);
      this.rows.delete(evicted);
    }
    if (row !== undefined && row < ROWS_PER_FILE)
      this.rows.set(id, Math.floor(Math.max(0, time ?? 0) / 60_000) * ROWS_PER_FILE + row);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.set.set(id, position);
  }

  get size(): number {
    return this.set.size;
  }
}
