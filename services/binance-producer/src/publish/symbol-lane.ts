import type { Gap } from "../gaps/gap-tracker.js";
import { buildGapMarker, type GapMarker, type MarkedStream } from "../gaps/gap-marker.js";
import type { BackfillResult } from "../backfill/backfill-symbol.js";
import type { RestAggTrade } from "../backfill/agg-trades-client.js";

/**
 * One symbol's way to the transport, in order. Live events pass straight
 * through unless they repeat what was already published: a new connection's
 * events at or below the highest aggregate trade id `a` (aggTrade) or event
 * time `E` (ticker) published so far are dropped until it passes that mark
 * (a roll-over's two connections both deliver the overlap; a backfill
 * publishes what the new connection then repeats). From then on that
 * connection's events pass as received: one connection never repeats itself,
 * and an event that is merely out of order is the processor's business
 * (its lateness rules), not a duplicate. A gap queues behind what came
 * before it; for aggTrade it runs the REST backfill while the symbol's live
 * events wait in a bounded queue, then publishes the fetched trades, the
 * marker, and the waiting events.
 */

export interface LiveEvent {
  readonly text: string;
  /** The connection that delivered it. */
  readonly conn: number;
  /** Aggregate trade id (aggTrade) or event time (ticker): what orders and deduplicates. */
  readonly seq: number;
}

type Item = { readonly live: LiveEvent } | { readonly gap: Gap; readonly conn: number } | { readonly forward: string };

export interface LaneDeps {
  readonly stream: MarkedStream;
  readonly symbols: readonly string[];
  publish(key: string, text: string): void;
  duplicate(): void;
  /** aggTrade only: fetches trades from fromId on; firstLiveId tells where the live stream resumed. */
  backfill?(req: {
    symbol: string;
    fromId: number;
    firstLiveId: () => number | undefined;
    signal: AbortSignal;
  }): Promise<BackfillResult>;
  marker?(marker: GapMarker, result: BackfillResult | undefined): void;
  /** Live events held while a backfill runs; beyond this the backfill is cut short (filled=false). */
  readonly maxQueued: number;
}

/**
 * REST has no event time: a backfilled trade's E is its trade time T. The envelope says
 * `backfill: true` beside stream and data, so a processor can still count a trade whose
 * window it already wrote (an outage longer than its lateness).
 */
export function backfilledEnvelope(symbol: string, t: RestAggTrade): string {
  const stream = `${symbol.toLowerCase()}@aggTrade`;
  return JSON.stringify({
    stream,
    data: { e: "aggTrade", E: t.T, s: symbol, a: t.a, p: t.p, q: t.q, f: t.f, l: t.l, T: t.T, m: t.m, M: t.M ?? true },
    backfill: true,
  });
}

export class SymbolLane {
  private last: number | undefined;
  /** The connection whose events have passed the mark (its events are no longer compared). */
  private passed: number | undefined;
  private readonly queue: Item[] = [];
  private busy = false;
  private abort: AbortController | undefined;
  /** Settles when the queue is empty (for a graceful stop). */
  private idle: Promise<void> = Promise.resolve();

  constructor(
    readonly symbol: string,
    private readonly deps: LaneDeps,
  ) {}

  live(ev: LiveEvent): void {
    if (!this.busy && this.queue.length === 0) return this.publishLive(ev);
    this.queue.push({ live: ev });
    if (this.queue.length > this.deps.maxQueued) this.abort?.abort();
  }

  /** A message published as received, in order with the live events (a recorded gap marker). */
  forward(text: string): void {
    if (!this.busy && this.queue.length === 0) return this.deps.publish(this.symbol, text);
    this.queue.push({ forward: text });
  }

  /** A gap that `conn`, the new connection, closed. */
  gap(gap: Gap, conn: number): void {
    this.queue.push({ gap, conn });
    if (!this.busy) this.idle = this.pump();
  }

  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Cancels a running backfill (on stop): its marker says filled=false. */
  cancel(): void {
    this.abort?.abort();
  }

  private publishLive(ev: LiveEvent): void {
    if (ev.conn !== this.passed) {
      if (this.last !== undefined && ev.seq <= this.last) return this.deps.duplicate();
      this.passed = ev.conn;
    }
    if (this.last === undefined || ev.seq > this.last) this.last = ev.seq;
    this.deps.publish(this.symbol, ev.text);
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        if ("live" in item) this.publishLive(item.live);
        else if ("forward" in item) this.deps.publish(this.symbol, item.forward);
        else await this.closeGap(item.gap, item.conn);
      }
    } finally {
      this.busy = false;
    }
  }

  /** The first live id queued after the gap being filled (the queue holds only later items). */
  private firstQueuedLive(): number | undefined {
    for (const item of this.queue) {
      if ("gap" in item) return undefined;
      if ("live" in item) return item.live.seq;
    }
    return undefined;
  }

  private async closeGap(gap: Gap, conn: number): Promise<void> {
    const { stream, symbols } = this.deps;
    let result: BackfillResult | undefined;
    if (stream === "aggTrade" && this.deps.backfill && this.last !== undefined) {
      this.abort = new AbortController();
      try {
        result = await this.deps.backfill({
          symbol: this.symbol,
          fromId: this.last + 1,
          firstLiveId: () => this.firstQueuedLive(),
          signal: this.abort.signal,
        });
      } catch {
        // backfillSymbol turns every known failure into a result; anything else still ends unfilled.
        result = { trades: [], complete: false, reason: "network" };
      } finally {
        this.abort = undefined;
      }
    }
    // A connection opened after a loss cannot repeat the old one's events: it is compared with
    // the mark only when the backfill published trades it may deliver again.
    this.passed = conn;
    let missing: number | null = null;
    if (result) {
      const liveFrom = this.firstQueuedLive();
      missing = 0;
      for (const t of result.trades) {
        if (this.last !== undefined && t.a <= this.last) continue;
        if (liveFrom !== undefined && t.a >= liveFrom) break; // the live events carry these
        this.last = t.a;
        this.passed = undefined; // the live events that follow are compared with the backfill
        this.deps.publish(this.symbol, backfilledEnvelope(this.symbol, t));
        missing++;
      }
    }
    const marker = buildGapMarker(gap, this.symbol, stream, symbols, {
      filled: result?.complete ?? false,
      missing,
    });
    this.deps.marker?.(marker, result);
    this.deps.publish(this.symbol, JSON.stringify(marker));
  }
}
