/**
 * Event-time tumbling windows, kept per key (the symbol), with no IO.
 *
 * A window [start, start + size) belongs to every event whose event time t has
 * floor(t / size) * size === start. For each key the book tracks a watermark
 * (the largest event time seen) and `closedBefore`: every window starting
 * before it is closed, and an event that falls into such a window is late.
 *
 * A window closes when, for its key,
 *  - an event arrives whose time is at least window end + lateness, or
 *  - the wall clock has passed window end + lateness AND the key has been
 *    idle (no events) for at least `idleMs`.
 * The idle condition keeps replays of old data deterministic: while events
 * keep arriving, only event time decides, whatever the arrival pace.
 *
 * The book does not aggregate; it tells the caller which window an event
 * belongs to (or that it is late) and which windows a new watermark closes.
 */

export interface WindowRules {
  readonly sizeMs: number;
  readonly latenessMs: number;
  /** Idle time after which the wall clock may close a key's windows. */
  readonly idleMs: number;
}

export function windowRules(windowSeconds: number, latenessSeconds: number): WindowRules {
  const sizeMs = Math.round(windowSeconds * 1000);
  const latenessMs = Math.round(latenessSeconds * 1000);
  return { sizeMs, latenessMs, idleMs: Math.max(latenessMs, 1000) };
}

export function windowStartOf(t: number, sizeMs: number): number {
  return Math.floor(t / sizeMs) * sizeMs;
}

interface KeyState {
  watermark: number;
  closedBefore: number;
  lastArrival: number;
}

export type Admission =
  | { readonly late: true }
  | { readonly late: false; readonly windowStart: number; readonly closeBefore: number | undefined };

export class WindowBook {
  private readonly keys = new Map<string, KeyState>();

  constructor(readonly rules: WindowRules) {}

  /**
   * Admits an event. When it is not late, returns its window start and, if
   * its time moves the key's closing point, the new `closeBefore`: every
   * window of the key starting before it must now be emitted (after the
   * caller has merged the event into its window).
   */
  admit(key: string, t: number, nowMs: number): Admission {
    const { sizeMs, latenessMs } = this.rules;
    const start = windowStartOf(t, sizeMs);
    let st = this.keys.get(key);
    if (!st) {
      // A new key has nothing open yet, so its first closing point closes nothing.
      st = { watermark: t, closedBefore: windowStartOf(t - latenessMs, sizeMs), lastArrival: nowMs };
      this.keys.set(key, st);
    }
    st.lastArrival = nowMs;
    if (start < st.closedBefore) return { late: true };
    if (t > st.watermark) st.watermark = t;
    const cb = windowStartOf(st.watermark - latenessMs, sizeMs);
    if (cb > st.closedBefore) {
      st.closedBefore = cb;
      return { late: false, windowStart: start, closeBefore: cb };
    }
    return { late: false, windowStart: start, closeBefore: undefined };
  }

  /**
   * Wall-clock closing: for every key idle for at least idleMs, returns the
   * new closing point when the clock has passed some window's end + lateness.
   */
  tick(nowMs: number): Array<{ key: string; closeBefore: number }> {
    const { sizeMs, latenessMs, idleMs } = this.rules;
    const out: Array<{ key: string; closeBefore: number }> = [];
    for (const [key, st] of this.keys) {
      if (nowMs - st.lastArrival < idleMs) continue;
      const cb = windowStartOf(nowMs - latenessMs, sizeMs);
      if (cb > st.closedBefore) {
        st.closedBefore = cb;
        out.push({ key, closeBefore: cb });
      }
    }
    return out;
  }

  /**
   * Restores a key's closing point after a restart, from the newest window
   * already written: replayed events of that window (or older) are then late.
   * Never moves a closing point backwards. A key created here starts with its
   * watermark at the closing point and is not idle until its first event
   * arrives: joining a consumer group after a crash can take longer than
   * `idleMs`, and the wall clock must not close the windows the replay is
   * about to rebuild.
   */
  restore(key: string, closedBefore: number, _nowMs: number): void {
    const st = this.keys.get(key);
    if (st) {
      if (closedBefore > st.closedBefore) st.closedBefore = closedBefore;
      return;
    }
    this.keys.set(key, { watermark: closedBefore, closedBefore, lastArrival: Infinity });
  }

  /** The closing point of a key (windows starting before it are closed). */
  closedBefore(key: string): number {
    return this.keys.get(key)?.closedBefore ?? -Infinity;
  }
}
