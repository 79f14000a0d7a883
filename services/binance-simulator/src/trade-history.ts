/**
 * The aggregate trades the simulated market made, per symbol, kept for the
 * REST endpoint: the last `max` trades, ids without holes, trade times
 * non-decreasing, so /api/v3/aggTrades serves exactly what the aggTrade
 * stream sent (and what a disconnected client missed).
 */

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
  private items: HistoricTrade[] = [];
  private start = 0;

  constructor(private readonly max: number) {}

  push(t: HistoricTrade): void {
    this.items.push(t);
    // Trim in chunks so a push stays O(1) amortised.
    if (this.items.length - this.start > this.max) this.start++;
    if (this.start > 4096 && this.start > this.items.length / 2) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }

  get length(): number {
    return this.items.length - this.start;
  }

  at(i: number): HistoricTrade | undefined {
    return this.items[this.start + i];
  }

  /** Index of the first trade satisfying pred (pred monotonic false..true). */
  lowerBound(pred: (t: HistoricTrade) => boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.at(mid)!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  slice(from: number, to: number): HistoricTrade[] {
    return this.items.slice(this.start + from, this.start + Math.min(to, this.length));
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

  /** Symbol in upper case, as Binance's REST API names it. */
  record(symbol: string, t: HistoricTrade): void {
    if (this.maxPerSymbol <= 0) return;
    let r = this.bySymbol.get(symbol);
    if (!r) this.bySymbol.set(symbol, (r = new Ring(this.maxPerSymbol)));
    r.push(t);
  }

  /** Binance's selection: fromId (inclusive), else a time range, else the most recent `limit`. */
  query(symbol: string, q: TradeQuery): HistoricTrade[] {
    const r = this.bySymbol.get(symbol);
    if (!r) return [];
    let from: number;
    if (q.fromId !== undefined) {
      const fromId = q.fromId;
      from = r.lowerBound((t) => t.a >= fromId);
    } else if (q.startTime !== undefined) {
      const start = q.startTime;
      from = r.lowerBound((t) => t.T >= start);
    } else if (q.endTime !== undefined) {
      const end = q.endTime;
      from = Math.max(0, r.lowerBound((t) => t.T > end) - q.limit);
    } else {
      from = Math.max(0, r.length - q.limit);
    }
    let out = r.slice(from, from + q.limit);
    if (q.startTime !== undefined && q.fromId !== undefined) out = out.filter((t) => t.T >= q.startTime!);
    if (q.endTime !== undefined) out = out.filter((t) => t.T <= q.endTime!);
    return out;
  }

  /** Every retained trade of a symbol (tests compare what a client published with it). */
  all(symbol: string): HistoricTrade[] {
    const r = this.bySymbol.get(symbol);
    return r ? r.slice(0, r.length) : [];
  }
}
