/**
 * Generated market data for the subscribed streams, shared by all
 * connections as on Binance: one event is built and serialised once, then
 * sent to every subscriber of its stream.
 *
 * Pacing: events are spread evenly in round-robin over the active streams at
 * `rate` events/s in total (default: one per stream per intervalMs). When any
 * subscriber's send buffer is above the high-water mark the feed pauses
 * rather than drop data, so a benchmark counts every event it was sent.
 */

import type { Connection } from "./connection.js";
import type { Market } from "./market.js";
import type { MarketPayload } from "./payloads.js";
import { combinedToJson, payloadToJson } from "./serialize.js";
import { isProducedKind, type StreamKind, type StreamName } from "./streams.js";

interface ActiveStream {
  readonly name: string;
  readonly symbol: string;
  readonly kind: StreamKind;
  readonly subscribers: Set<Connection>;
}

export interface LiveFeedOptions {
  readonly market: Market;
  readonly intervalMs: number;
  /** Total events/s; 0 derives it from intervalMs and the number of active streams. */
  readonly rate: number;
  readonly clock: () => number;
  readonly maxBufferedBytes: number;
  /** Streams keep producing after their last subscriber left (the market does not stop for a disconnect). */
  readonly alwaysOn?: boolean;
  /** Sees every event generated, sent or not (tests compare what a client received with it). */
  readonly onEvent?: (stream: string, data: MarketPayload) => void;
}

/** Longest catch-up burst after a stalled timer, in seconds of events. */
const MAX_BURST_S = 0.1;

export class LiveFeed {
  private readonly active = new Map<string, ActiveStream>();
  private order: ActiveStream[] = [];
  private rr = 0;
  private epoch = 0;
  private emitted = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private inTick = false;
  /** Ticks skipped because a client was not reading fast enough. */
  throttledTicks = 0;
  events = 0;

  constructor(private readonly o: LiveFeedOptions) {}

  /** Whether a stream produces data here (listed symbol, produced kind). */
  produces(s: StreamName): boolean {
    return isProducedKind(s.kind) && this.o.market.has(s.symbol);
  }

  subscribe(conn: Connection, s: StreamName): void {
    if (!this.produces(s)) return;
    let a = this.active.get(s.name);
    if (!a) {
      a = { name: s.name, symbol: s.symbol, kind: s.kind as StreamKind, subscribers: new Set() };
      this.active.set(s.name, a);
      this.reorder();
    }
    a.subscribers.add(conn);
  }

  unsubscribe(conn: Connection, name: string): void {
    const a = this.active.get(name);
    if (!a) return;
    a.subscribers.delete(conn);
    if (a.subscribers.size === 0 && !this.o.alwaysOn) {
      this.active.delete(name);
      this.reorder();
    }
  }

  removeConnection(conn: Connection): void {
    for (const name of [...this.active.keys()]) this.unsubscribe(conn, name);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private rate(): number {
    return this.o.rate > 0 ? this.o.rate : (this.order.length * 1000) / this.o.intervalMs;
  }

  /** The set of streams changed: restart the schedule (first event at once). */
  private reorder(): void {
    this.order = [...this.active.values()];
    this.rr = 0;
    this.epoch = performance.now();
    this.emitted = 0;
    // Inside a tick, the tick itself schedules the next one when it finishes.
    if (!this.inTick) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.order.length > 0 && !this.stopped) this.timer = setTimeout(this.tick, delayMs);
  }

  private subscribers(): Set<Connection> {
    const all = new Set<Connection>();
    for (const a of this.order) for (const c of a.subscribers) all.add(c);
    return all;
  }

  private backpressured(): boolean {
    for (const a of this.order)
      for (const c of a.subscribers) if (c.bufferedAmount > this.o.maxBufferedBytes) return true;
    return false;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped || this.order.length === 0) return;
    const now = performance.now();
    if (this.backpressured()) {
      // Resume with an on-time schedule once the client has caught up.
      this.throttledTicks += 1;
      this.epoch = now;
      this.emitted = 0;
      this.schedule(1);
      return;
    }
    // Sends may end connections (drop-every-messages) and so change the stream set.
    this.inTick = true;
    try {
      this.emitDue(now);
    } finally {
      this.inTick = false;
    }
    const nextAt = this.epoch + (this.emitted * 1000) / this.rate();
    this.schedule(Math.max(0, nextAt - performance.now()));
  };

  private emitDue(now: number): void {
    const rate = this.rate();
    // Event k is due at epoch + k/rate, event 0 at the epoch itself.
    const due = Math.floor(((now - this.epoch) * rate) / 1000) + 1 - this.emitted;
    const cap = Math.max(1, Math.ceil(rate * MAX_BURST_S));
    // One socket write per connection per tick instead of one per message.
    const corked = due > 1 ? this.subscribers() : [];
    for (const c of corked) c.cork();
    if (due > cap) {
      // Far behind (a stalled loop): send one burst and start a fresh schedule.
      for (let i = 0; i < cap; i++) this.emitOne();
      this.epoch = now;
      this.emitted = 1;
    } else {
      for (let i = 0; i < due; i++) this.emitOne();
    }
    for (const c of corked) c.uncork();
  }

  private emitOne(): void {
    const a = this.order[this.rr];
    this.rr = this.rr + 1 >= this.order.length ? 0 : this.rr + 1;
    this.emitted += 1;
    if (!a) return;
    const E = this.o.clock();
    const data = a.kind === "ticker" ? this.o.market.ticker(a.symbol, E) : this.o.market.aggTrade(a.symbol, E);
    this.send(a, data);
    // A ticker step is a trade: the symbol's aggTrade subscribers get it too, so their ids have no holes.
    const trades = a.kind === "ticker" ? this.active.get(`${a.symbol}@aggTrade`) : undefined;
    if (trades) this.send(trades, this.o.market.lastTrade(a.symbol, E));
    this.events += 1;
  }

  private send(a: ActiveStream, data: MarketPayload): void {
    this.o.onEvent?.(a.name, data);
    let combined: string | undefined;
    let raw: string | undefined;
    for (const c of a.subscribers) {
      const text = c.combined ? (combined ??= combinedToJson({ stream: a.name, data })) : (raw ??= payloadToJson(data));
      c.sendData(text);
    }
  }
}
