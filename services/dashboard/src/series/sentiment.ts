/**
 * Sentiment windows as chart series (pure). Reads whatever the /sentiment table has: every
 * `<name>_mean` column (score_mean today; a compound_mean later) becomes a line per source
 * (rows carry a `source` column once there is more than one source), and the label counts
 * (positive, neutral, negative) add up over sources. Rows are merged by the documented rule.
 */
import { mergeWindowRows, type WindowRow } from "@cryptostream/common/hdf5/merge-windows";
import { type ChartTime, chartTime } from "./candles.js";

export const LABELS = ["positive", "neutral", "negative"] as const;

export interface SentimentPoint {
  readonly time: ChartTime;
  readonly count: number;
  /** Mean per line: key "<column>" or "<column>/<source>", e.g. "score_mean" or "score_mean/bluesky". */
  readonly means: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<(typeof LABELS)[number], number>>;
}

/** The last `maxWindows` sentiment windows, one point per window (sources folded in). */
export function sentimentSeries(rows: readonly WindowRow[], maxWindows = Infinity): SentimentPoint[] {
  const merged = mergeWindowRows(rows);
  const byTime = new Map<ChartTime, { count: number; means: Record<string, number>; labels: Record<string, number> }>();
  for (const w of merged) {
    const time = chartTime(Number(w.window_start));
    let p = byTime.get(time);
    if (!p) {
      p = { count: 0, means: {}, labels: Object.fromEntries(LABELS.map((l) => [l, 0])) };
      byTime.set(time, p);
    }
    p.count += Number(w.count);
    const source = typeof w.source === "string" && w.source !== "" ? `/${w.source}` : "";
    for (const [col, v] of Object.entries(w)) if (col.endsWith("_mean")) p.means[`${col}${source}`] = Number(v);
    for (const l of LABELS) if (l in w) p.labels[l]! += Number(w[l]);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .slice(-maxWindows)
    .map(([time, p]) => ({ time, count: p.count, means: p.means, labels: p.labels as SentimentPoint["labels"] }));
}
