/**
 * The posts (did/rkey) this producer has taken recently, bounded: the oldest
 * are forgotten first. Each key keeps the time_us it was seen at, so the
 * keys of the last seconds can be saved with the cursor. Pure.
 */
export class RecentKeys {
  private readonly keys = new Map<string, number>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error("capacity must be at least 1");
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string, timeUs: number): void {
    this.keys.delete(key);
    this.keys.set(key, timeUs);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value!);
  }

  /** Keys seen from `fromUs` to `toUs` (both included; insertion order), at most `max` of the newest. */
  between(fromUs: number, toUs: number, max: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const e of this.keys) if (e[1] >= fromUs && e[1] <= toUs) out.push(e);
    return out.slice(-max);
  }
}
