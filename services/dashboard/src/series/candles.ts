/**
 * Market windows as chart points (pure): one candle per window, open = price_first,
 * high = price_max, low = price_min, close = price_last, and a volume bar below it (qty_sum
 * where the stream has it, as aggTrade does, else the window's event count). Rows are merged
 * by the documented rule first, so a window cut by a restart is one candle.
 */
import { mergeWindowRows, type WindowRow } from "@cryptostream/common/hdf5/merge-windows";

/** Seconds since 1970 (UTC), the chart library's time unit. */
export type ChartTime = number;

export interface MarketPoint {
  readonly time: ChartTime;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Only partial rows so far (complete = 0): the window may still change. */
  readonly partial: boolean;
}

export type VolumeColumn = "qty_sum" | "count";

export const chartTime = (ms: number): ChartTime => Math.floor(ms / 1000);

/** What the volume bars of a market table count. */
export function volumeColumn(columns: readonly string[]): VolumeColumn {
  return columns.includes("qty_sum") ? "qty_sum" : "count";
}

/** The last `maxWindows` windows of a market table as chart points. */
export function marketPoints(rows: readonly WindowRow[], maxWindows = Infinity): MarketPoint[] {
  const first = rows[0];
  if (first === undefined) return [];
  const vol = volumeColumn(Object.keys(first));
  return mergeWindowRows(rows)
    .slice(-maxWindows)
    .map((w) => ({
      time: chartTime(Number(w.window_start)),
      open: Number(w.price_first),
      high: Number(w.price_max),
      low: Number(w.price_min),
      close: Number(w.price_last),
      volume: Number(w[vol]),
      partial: Number(w.complete) === 0,
    }));
}
