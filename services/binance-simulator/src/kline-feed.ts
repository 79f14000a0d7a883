/**
 * `<symbol>@kline_<interval>` streams computed from the market's own trades,
 * so a client can check candles built from the aggTrade stream against them:
 * o/h/l/c from trade prices, v/q base and quote volume, n underlying trades
 * (l - f + 1), V/Q taker-buy volumes (trades whose buyer is not the maker).
 * Every second each subscribed kline is sent; at its interval's end it is
 * sent once more with x = true and the next one starts (a kline without
 * trades has o = h = l = c = the previous close, n = 0, f = L = -1).
 * Volumes are summed in floating point and printed with 8 decimals.
 */

import type { Connection } from "./connection.js";
import type { StreamName } from "./streams.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Interval in ms of "kline_1m"-style kinds; undefined for other kinds. */
export function klineIntervalMs(kind: string): number | undefined {
  const m = /^kline_(\d+)([smhdw])$/.exec(kind);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

interface Candle {
  t: number;
  f: number;
  L: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  q: number;
  n: number;
  V: number;
  Q: number;
}

interface KlineStream {
  readonly name: string;
  readonly symbol: string;
  readonly interval: string;
  readonly ms: number;
  readonly subscribers: Set<Connection>;
  candle: Candle | undefined;
  lastClose: number | undefined;
}

const f8 = (n: number) => n.toFixed(8);

export class KlineFeed {
  private readonly streams = new Map<string, KlineStream>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly has: (symbol: string) => boolean,
  ) {}

  produces(s: StreamName): boolean {
    return klineIntervalMs(s.kind) !== undefined && this.has(s.symbol);
  }

  subscribe(conn: Connection, s: StreamName): void {
    const ms = klineIntervalMs(s.kind);
    if (ms === undefined || !this.has(s.symbol)) return;
    let k = this.streams.get(s.name);
    if (!k) {
      k = {
        name: s.name,
        symbol: s.symbol,
        interval: s.kind.slice(6),
        ms,
        subscribers: new Set(),
        candle: undefined,
        lastClose: undefined,
      };
      this.streams.set(s.name, k);
    }
    k.subscribers.add(conn);
    this.timer ??= setInterval(() => this.tick(), 1000);
  }

  unsubscribe(conn: Connection, name: string): void {
    this.streams.get(name)?.subscribers.delete(conn);
  }

  removeConnection(conn: Connection): void {
    for (const k of this.streams.values()) k.subscribers.delete(conn);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether any kline stream exists (the market skips the call otherwise). */
  get active(): boolean {
    return this.streams.size > 0;
  }

  /** Every trade of the market: upper-case symbol, price and quantity in 1e-8 units. */
  onTrade(symbol: string, pUnits: number, qUnits: number, f: number, l: number, T: number, m: boolean): void {
    const lower = symbol.toLowerCase();
    for (const k of this.streams.values()) {
      if (k.symbol !== lower) continue;
      const start = Math.floor(T / k.ms) * k.ms;
      if (k.candle && start >= k.candle.t + k.ms) this.close(k, start);
      const p = pUnits / 1e8;
      const q = qUnits / 1e8;
      const c = (k.candle ??= this.empty(k, start));
      if (c.n === 0) {
        c.o = c.h = c.l = p;
        c.f = f;
      }
      c.h = Math.max(c.h, p);
      c.l = Math.min(c.l, p);
      c.c = p;
      c.L = l;
      c.n += l - f + 1;
      c.v += q;
      c.q += p * q;
      if (!m) {
        c.V += q;
        c.Q += p * q;
      }
    }
  }

  private empty(k: KlineStream, t: number): Candle {
    const last = k.lastClose ?? 0;
    return { t, f: -1, L: -1, o: last, h: last, l: last, c: last, v: 0, q: 0, n: 0, V: 0, Q: 0 };
  }

  private tick(): void {
    const now = this.clock();
    for (const k of this.streams.values()) {
      if (!k.candle) continue;
      if (now >= k.candle.t + k.ms) this.close(k, Math.floor(now / k.ms) * k.ms);
      else this.send(k, k.candle, false);
    }
  }

  /** Sends the current kline as final and starts the one at `next` (empty ones in between are skipped). */
  private close(k: KlineStream, next: number): void {
    const c = k.candle!;
    this.send(k, c, true);
    if (c.n > 0) k.lastClose = c.c;
    k.candle = this.empty(k, next);
  }

  private send(k: KlineStream, c: Candle, closed: boolean): void {
    const symbol = k.symbol.toUpperCase();
    const data = {
      e: "kline",
      E: this.clock(),
      s: symbol,
      k: {
        t: c.t,
        T: c.t + k.ms - 1,
        s: symbol,
        i: k.interval,
        f: c.f,
        L: c.L,
        o: f8(c.o),
        c: f8(c.c),
        h: f8(c.h),
        l: f8(c.l),
        v: f8(c.v),
        n: c.n,
        x: closed,
        q: f8(c.q),
        V: f8(c.V),
        Q: f8(c.Q),
        B: "0",
      },
    };
    let combined: string | undefined;
    let raw: string | undefined;
    for (const conn of k.subscribers) {
      const text = conn.combined
        ? (combined ??= JSON.stringify({ stream: k.name, data }))
        : (raw ??= JSON.stringify(data));
      conn.sendData(text);
    }
  }
}
