/**
 * The aggregate trades the simulated market made, per symbol, kept for the
 * REST endpoint: the last `max` trades, ids without holes, trade times
 * non-decreasing, so /api/v3/aggTrades serves exactly what the aggTrade
 * stream sent (and what a disconnected client missed). Held as numbers in
 * typed-array rings and formatted only when asked for, so recording costs
 * the generator (200k events/s) no allocation.
 */

import { fmtUnits } from "./market.js";

export interface HistoricTrade {
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  readonly m: boolean;
  readonly M: boolean;
}

class Ring {
  private readonly a: Float64Array;
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  private readonly f: Float64Array;
  private readonly l: Float64Array;
  private readonly T: Float64Array;
  private readonly m: Uint8Array;
  private start = 0;
  length = 0;

  constructor(private readonly cap: number) {
    this.a = new Float64Array(cap);
    this.p = new Float64Array(cap);
    this.q = new Float64Array(cap);
    this.f = new Float64Array(cap);
    this.l = new Float64Array(cap);
    this.T = new Float64Array(cap);
    this.m = new Uint8Array(cap);
  }

  push(a: number, p: number, q: number, f: number, l: number, T: number, m: boolean): void {
    let i: number;
    if (this.length < this.cap) i = (this.start + this.length++) % this.cap;
    else {
      i = this.start;
      this.start = (this.start + 1) % this.cap;
    }
    this.a[i] = a;
    this.p[i] = p;
    this.q[i] = q;
    this.f[i] = f;
    this.l[i] = l;
    this.T[i] = T;
    this.m[i] = m ? 1 : 0;
  }

  private at(i: number): number {
    return (this.start + i) % this.cap;
  }

  idAt(i: number): number {
    return this.a[this.at(i)]!;
  }

  timeAt(i: number): number {
    return this.T[this.at(i)]!;
  }

  trade(i: number): HistoricTrade {
    const k = this.at(i);
    return {
      a: this.a[k]!,
      p: fmtUnits(this.p[k]!),
      q: fmtUnits(this.q[k]!),
      f: this.f[k]!,
      l: this.l[k]!,
      T: this.T[k]!,
      m: this.m[k] === 1,
      M: true,
    };
  }

  /** Index of the first entry satisfying pred (pred monotonic false..true). */
  lowerBound(pred: (i: number) => boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export interface TradeQuery {
  readonly fromId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

export class TradeHistory {
  private readonly bySymbol = new Map<string, Ring>();

  constructor(private readonly maxPerSymbol: number) {}

  /** Symbol in upper case, as Binance's REST API names it; price and quantity in 1e-8 units. */
  record(symbol: string, a: number, pUnits: number, qUnits: number, f: number, l: number, T: number, m: boolean): void {
    if (this.maxPerSymbol <= 0) return;
    let r = this.bySymbol.get(symbol);
    if (!r) this.bySymbol.set(symbol, (r = new Ring(this.maxPerSymbol)));
    r.push(a, pUnits, qUnits, f, l, T, m);
  }

  /** Binance's selection: fromId (inclusive), else a time range, else the most recent `limit`. */
  query(symbol: string, q: TradeQuery): HistoricTrade[] {
    const r = this.bySymbol.get(symbol);
    if (!r) return [];
    let from: number;
    if (q.fromId !== undefined) {
      const fromId = q.fromId;
      from = r.lowerBound((i) => r.idAt(i) >= fromId);
    } else if (q.startTime !== undefined) {
      const start = q.startTime;
      from = r.lowerBound((i) => r.timeAt(i) >= start);
    } else if (q.endTime !== undefined) {
      const end = q.endTime;
      from = Math.max(0, r.lowerBound((i) => r.timeAt(i) > end) - q.limit);
    } else {
      from = Math.max(0, r.length - q.limit);
    }
    const out: HistoricTrade[] = [];
    for (let i = from; i < r.length && out.length < q.limit; i++) {
      const T = r.timeAt(i);
      if (q.endTime !== undefined && T > q.endTime) break;
      if (q.startTime !== undefined && T < q.startTime) continue;
      out.push(r.trade(i));
    }
    return out;
  }

  /** Every retained trade of a symbol (tests compare what a client published with it). */
  all(symbol: string): HistoricTrade[] {
    const r = this.bySymbol.get(symbol);
    if (!r) return [];
    return Array.from({ length: r.length }, (_, i) => r.trade(i));
  }
}
