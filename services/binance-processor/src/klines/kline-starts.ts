/**
 * Which closed klines `/kline/<SYMBOL>` holds, so a replayed or repeated kline
 * is not stored twice, in bounded memory: the newest `keep` interval starts per
 * symbol exactly, older ones by a floor (a symbol's klines close in order, so
 * one at or below a start already forgotten is one the table holds).
 */
interface SymbolStarts {
  readonly starts: Set<number>;
  readonly order: number[];
  floor: number;
}

export class KlineStarts {
  private readonly bySymbol = new Map<string, SymbolStarts>();

  constructor(readonly keep = 10_000) {}

  /** Remembers a kline; false when the table holds it already. */
  add(symbol: string, openTime: number): boolean {
    let s = this.bySymbol.get(symbol);
    if (!s) this.bySymbol.set(symbol, (s = { starts: new Set(), order: [], floor: -Infinity }));
    if (openTime <= s.floor || s.starts.has(openTime)) return false;
    s.starts.add(openTime);
    s.order.push(openTime);
    if (s.order.length > this.keep) {
      const old = s.order.shift()!;
      s.starts.delete(old);
      s.floor = Math.max(s.floor, old);
    }
    return true;
  }

  /** A restart: the starts read back from the file, and the largest start of the rows not read. */
  /** True when starts of `symbol` are known. */
  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  seed(symbol: string, starts: readonly number[], floor: number): void {
    const s: SymbolStarts = { starts: new Set(), order: [], floor };
    this.bySymbol.set(symbol, s);
    for (const t of starts) this.add(symbol, t);
  }
}
