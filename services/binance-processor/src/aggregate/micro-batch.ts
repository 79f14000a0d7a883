/**
 * Events admitted since the last reduction, held column-wise so they can be
 * handed to a DataFrame (or a plain loop) in one piece. Bounded by the
 * processor, which reduces it every few thousand events.
 */
export class MicroBatch {
  symbols: string[] = [];
  starts: number[] = [];
  times: number[] = [];
  /** One column per spec field. */
  columns: number[][];

  constructor(readonly nFields: number) {
    this.columns = Array.from({ length: nFields }, () => []);
  }

  get length(): number {
    return this.times.length;
  }

  push(symbol: string, windowStart: number, t: number, values: ArrayLike<number>): void {
    this.symbols.push(symbol);
    this.starts.push(windowStart);
    this.times.push(t);
    for (let i = 0; i < this.nFields; i++) this.columns[i]!.push(values[i]!);
  }

  clear(): void {
    this.symbols = [];
    this.starts = [];
    this.times = [];
    this.columns = Array.from({ length: this.nFields }, () => []);
  }
}

export interface GroupPartial<P> {
  readonly symbol: string;
  readonly windowStart: number;
  readonly partial: P;
}

/** Key of a (symbol, window) group. */
export function groupKey(symbol: string, windowStart: number): string {
  return `${symbol}\u0000${windowStart}`;
}
