import { emptyPartial, type Partial } from "./partial.js";
import { type GroupPartial, groupKey, type MicroBatch } from "./micro-batch.js";

/** The part of danfojs's Series API this package uses. */
export interface SeriesLike {
  values: unknown[];
  div(other: SeriesLike): SeriesLike;
}

/** The part of danfojs's DataFrame API this package uses. */
export interface FrameLike {
  column(name: string): SeriesLike;
  addColumn(name: string, values: SeriesLike, opts: { inplace: true }): void;
  groupby(cols: string[]): { agg(spec: Record<string, string[]>): FrameLike };
}

/** The part of danfojs this package uses (loaded lazily: its import takes ~0.7 s). */
export interface DanfoLike {
  DataFrame: new (data: Record<string, unknown[]>) => FrameLike;
}

export async function loadDanfo(): Promise<DanfoLike> {
  return (await import("danfojs")) as unknown as DanfoLike;
}

/**
 * Optional (BINANCE_REDUCER=dataframe): reduces a micro-batch with a danfojs DataFrame, as the original pipeline
 * did with pandas: group by (symbol, window start) and aggregate count, sum,
 * min and max of every field. First and last need the value at the extreme
 * event time, which a groupby-agg cannot express, so one pass over the rows
 * picks them (earliest arrival wins ties for first, latest for last).
 */
export function reduceWithDanfo(dfd: DanfoLike, batch: MicroBatch): Map<string, GroupPartial<Partial>> {
  const out = new Map<string, GroupPartial<Partial>>();
  if (batch.length === 0) return out;
  const n = batch.nFields;
  const data: Record<string, unknown[]> = { sym: batch.symbols, ws: batch.starts, t: batch.times };
  const agg: Record<string, string[]> = { t: ["count"] };
  for (let i = 0; i < n; i++) {
    data[`f${i}`] = batch.columns[i]!;
    agg[`f${i}`] = ["sum", "min", "max"];
  }
  const g = new dfd.DataFrame(data).groupby(["sym", "ws"]).agg(agg);
  const syms = g.column("sym").values as string[];
  const starts = g.column("ws").values as number[];
  const counts = g.column("t_count").values as number[];
  const cols = Array.from({ length: n }, (_, i) => ({
    sum: g.column(`f${i}_sum`).values as number[],
    min: g.column(`f${i}_min`).values as number[],
    max: g.column(`f${i}_max`).values as number[],
  }));

  // Rows of the grouped frame are in danfojs's order; keep first appearance order instead.
  const byKey = new Map<string, number>();
  syms.forEach((s, r) => byKey.set(groupKey(s, starts[r]!), r));
  for (let r = 0; r < batch.length; r++) {
    const symbol = batch.symbols[r]!;
    const windowStart = batch.starts[r]!;
    const k = groupKey(symbol, windowStart);
    let g = out.get(k);
    if (!g) {
      const row = byKey.get(k)!;
      const p = emptyPartial(n);
      p.count = counts[row]!;
      for (let i = 0; i < n; i++) {
        p.sum[i] = cols[i]!.sum[row]!;
        p.min[i] = cols[i]!.min[row]!;
        p.max[i] = cols[i]!.max[row]!;
      }
      g = { symbol, windowStart, partial: p };
      out.set(k, g);
    }
    const p = g.partial;
    const t = batch.times[r]!;
    if (t < p.timeFirst) {
      p.timeFirst = t;
      for (let i = 0; i < n; i++) p.first[i] = batch.columns[i]![r]!;
    }
    if (t >= p.timeLast) {
      p.timeLast = t;
      for (let i = 0; i < n; i++) p.last[i] = batch.columns[i]![r]!;
    }
  }
  return out;
}
