/**
 * Market windows as chart points (pure): one candle per window and a volume bar below it.
 * aggTrade tables (schema 3) carry kline columns: open, high, low, close and the base volume
 * `volume`; ticker tables (and aggTrade tables of schema 2) give open = price_first,
 * high = price_max, low = price_min, close = price_last, and volume qty_sum where the table has
 * it, else the window's event count. Rows are merged by the documented rule first, so a window
 * cut by a restart is one candle; a window without trades (count 0, no price) draws no candle.
 * Each point carries the window's gap flag, which the page marks under its candle; a window
 * without events that an unfilled gap overlaps is a point too (`missing`: no prices), so the
 * page can tell a missing stretch from a quiet market.
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
  /** The window's gap flag (0 none, 1 a filled gap, 2 events may be missing); 0 without the column. */
  readonly gap: number;
  /** No events and a gap that was not filled: a missing stretch, not a quiet market (no prices). */
  readonly missing?: true;
}

export type VolumeColumn = "volume" | "qty_sum" | "count";

export const chartTime = (ms: number): ChartTime => Math.floor(ms / 1000);

/** What the volume bars of a market table count. */
export function volumeColumn(columns: readonly string[]): VolumeColumn {
  if (columns.includes("open") && columns.includes("volume")) return "volume";
  return columns.includes("qty_sum") ? "qty_sum" : "count";
}

/** The columns holding open, high, low and close. */
function priceColumns(columns: readonly string[]): readonly [string, string, string, string] {
  return columns.includes("open")
    ? ["open", "high", "low", "close"]
    : ["price_first", "price_max", "price_min", "price_last"];
}

/** The last `maxWindows` windows of a market table as chart points. */
export function marketPoints(rows: readonly WindowRow[], maxWindows = Infinity): MarketPoint[] {
  const first = rows[0];
  if (first === undefined) return [];
  const vol = volumeColumn(Object.keys(first));
  const [o, h, l, c] = priceColumns(Object.keys(first));
  const gapOf = (w: WindowRow) => (w.gap === undefined ? 0 : Number(w.gap));
  return mergeWindowRows(rows)
    .filter((w) => Number(w.count) > 0 || gapOf(w) >= 2)
    .slice(-maxWindows)
    .map((w) => ({
      time: chartTime(Number(w.window_start)),
      open: Number(w[o]),
      high: Number(w[h]),
      low: Number(w[l]),
      close: Number(w[c]),
      volume: Number(w[vol]),
      partial: Number(w.complete) === 0,
      gap: gapOf(w),
      ...(Number(w.count) === 0 ? { missing: true as const } : {}),
    }));
}
