/**
 * Sentiment windows as chart series (pure). Reads whatever the /sentiment table has: every
 * `<name>_mean` column (score_mean today) becomes a line. /sentiment has one row per window
 * and source (twitter, bluesky): the plain `<name>_mean` line is the all-sources mean,
 * `<name>_sum` over `count` summed over the sources, and when the rows name more than one
 * source each also gets its own line, `<name>_mean/<source>`. The label counts (positive,
 * neutral, negative) add up over sources. Rows are merged by the documented rule first.
 */
import { mergeWindowRows, type WindowRow } from "@cryptostream/common/hdf5/merge-windows";
import { type ChartTime, chartTime } from "./candles.js";

export const LABELS = ["positive", "neutral", "negative"] as const;

export interface SentimentPoint {
  readonly time: ChartTime;
  readonly count: number;
  /** Mean per line: key "<column>" (all sources) or "<column>/<source>", e.g. "score_mean/bluesky". */
  readonly means: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<(typeof LABELS)[number], number>>;
}

interface Acc {
  count: number;
  means: Record<string, number>;
  /** `<name>_mean` -> summed `<name>_sum` over the window's sources. */
  sums: Record<string, number>;
  labels: Record<string, number>;
}

const sourceOf = (w: WindowRow): string => (typeof w.source === "string" ? w.source : "");

/** The last `maxWindows` sentiment windows, one point per window (sources folded in). */
export function sentimentSeries(rows: readonly WindowRow[], maxWindows = Infinity): SentimentPoint[] {
  const merged = mergeWindowRows(rows);
  const perSource = new Set(merged.map(sourceOf)).size > 1;
  const byTime = new Map<ChartTime, Acc>();
  for (const w of merged) {
    const time = chartTime(Number(w.window_start));
    let p = byTime.get(time);
    if (!p) {
      p = { count: 0, means: {}, sums: {}, labels: Object.fromEntries(LABELS.map((l) => [l, 0])) };
      byTime.set(time, p);
    }
    p.count += Number(w.count);
    for (const [col, v] of Object.entries(w)) {
      if (!col.endsWith("_mean")) continue;
      if (perSource) p.means[`${col}/${sourceOf(w)}`] = Number(v);
      const sum = w[`${col.slice(0, -"_mean".length)}_sum`];
      // Without a sum column, the count-weighted mean.
      p.sums[col] = (p.sums[col] ?? 0) + (sum === undefined ? Number(v) * Number(w.count) : Number(sum));
    }
    for (const l of LABELS) if (l in w) p.labels[l]! += Number(w[l]);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .slice(-maxWindows)
    .map(([time, p]) => {
      const all = Object.fromEntries(Object.entries(p.sums).map(([col, s]) => [col, p.count > 0 ? s / p.count : 0]));
      return {
        time,
        count: p.count,
        means: { ...all, ...p.means },
        labels: p.labels as SentimentPoint["labels"],
      };
    });
}
