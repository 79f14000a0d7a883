/**
 * The events a Jetstream instance keeps for cursor replay: a bounded log in
 * time order (the oldest leave first) and where a cursor starts reading.
 * Pure; no IO.
 */
import type { HeldEvent } from "./generator.js";

export class History {
  private events: HeldEvent[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error("history capacity must be at least 1");
  }

  get size(): number {
    return this.events.length - this.head;
  }

  /** Seq of the oldest event kept (newestSeq + 1 when empty). */
  get oldestSeq(): number {
    return this.events[this.head]?.seq ?? this.newestSeq + 1;
  }

  newestSeq = 0;

  /** The newest time_us kept, or undefined when empty. */
  get newestTimeUs(): number | undefined {
    return this.size > 0 ? this.events[this.events.length - 1]!.timeUs : undefined;
  }

  append(e: HeldEvent): void {
    if (e.seq !== this.newestSeq + 1) throw new Error(`seq ${e.seq} does not follow ${this.newestSeq}`);
    const last = this.events[this.events.length - 1];
    if (last && e.timeUs <= last.timeUs) throw new Error("time_us must increase");
    this.events.push(e);
    this.newestSeq = e.seq;
    if (this.size > this.capacity) this.head++;
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** The event of `seq`, if still kept. */
  at(seq: number): HeldEvent | undefined {
    const first = this.oldestSeq;
    if (seq < first || seq > this.newestSeq) return undefined;
    return this.events[this.head + (seq - first)];
  }

  all(): HeldEvent[] {
    return this.events.slice(this.head);
  }

  /**
   * The seq a subscriber starts at. No cursor: live (after the newest). A
   * cursor (time_us) replays from the first event at or after it; one older
   * than the history starts at the oldest kept, one in the future starts live.
   */
  startFor(cursorUs: number | undefined): number {
    if (cursorUs === undefined) return this.newestSeq + 1;
    const newest = this.newestTimeUs;
    if (newest === undefined || cursorUs > newest) return this.newestSeq + 1;
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.timeUs < cursorUs) lo = mid + 1;
      else hi = mid;
    }
    return this.events[lo]!.seq;
  }
}
