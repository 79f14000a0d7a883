/**
 * The merge rule of docs/hdf5-layout.md ("Merging rows of one window"), for any window
 * table (`/<stream>/<SYMBOL>`, `/sentiment`): rows of one window (equal window_start and,
 * where a table has them, equal text columns such as a `source`) become one row.
 *
 * First repeats go: among rows of one window with the same log_partition >= 0, a row
 * whose [log_offset_first, log_offset_last] lies inside another's counts events that the
 * other counts too (of equal ranges the first stays). Then count, every *_sum and plain
 * counters (positive, neutral, negative) add up; *_min/*_max take the min/max;
 * *_first comes from the row with the smallest event_time_first, *_last from the row with
 * the largest event_time_last; each mean is <field>_sum / count. The aggTrade candle's
 * kline-named columns follow the same rule: open is a first, close a last, high a max, low a
 * min, gap (a flag) the max, vwap = quote_volume / volume. Rows with count 0 (a window
 * without trades) take no part in picking first and last. Pure: no IO.
 */

export type Cell = number | string;
export type WindowRow = Readonly<Record<string, Cell>>;

const num = (row: WindowRow, col: string): number => Number(row[col]);

/** The window a row belongs to: window_start plus every text column (a `source`, if any). */
function windowKey(row: WindowRow): string {
  const parts = [String(row.window_start)];
  for (const [k, v] of Object.entries(row)) if (typeof v === "string") parts.push(`${k}=${v}`);
  return parts.join("\u0000");
}

/** True when `inner`'s log range lies inside `outer`'s, on the same partition. */
function insideOf(inner: WindowRow, outer: WindowRow): boolean {
  const p = num(inner, "log_partition");
  return (
    p >= 0 &&
    num(outer, "log_partition") === p &&
    num(outer, "log_offset_first") <= num(inner, "log_offset_first") &&
    num(inner, "log_offset_last") <= num(outer, "log_offset_last")
  );
}

/** Rows of one window without the repeats (rows counting events another row counts). */
export function dropRepeats(rows: readonly WindowRow[]): WindowRow[] {
  if (rows.length < 2 || !("log_partition" in rows[0]!)) return [...rows];
  // Widest ranges first, so that each repeat meets the row that covers it.
  const order = rows
    .map((row, i) => ({ row, i }))
    .sort(
      (a, b) =>
        num(a.row, "log_offset_first") - num(b.row, "log_offset_first") ||
        num(b.row, "log_offset_last") - num(a.row, "log_offset_last") ||
        a.i - b.i,
    );
  const kept: Array<{ row: WindowRow; i: number }> = [];
  for (const r of order) if (!kept.some((k) => insideOf(r.row, k.row))) kept.push(r);
  return kept.sort((a, b) => a.i - b.i).map((k) => k.row);
}

/** Max or min of the numbers that are not NaN (NaN when none is). */
function finite(values: readonly number[], f: (...v: number[]) => number): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length > 0 ? f(...ok) : NaN;
}

/** One row from the (repeat-free) rows of one window, in file order. */
export function mergeWindow(rows: readonly WindowRow[]): WindowRow {
  const first = rows[0];
  if (first === undefined) throw new Error("mergeWindow: no rows");
  if (rows.length === 1) return first;
  const hasTimes = "event_time_first" in first && "event_time_last" in first;
  // Rows without events (count 0) carry no prices; any row with events wins first and last.
  const withEvents = rows.filter((r) => !("count" in r) || num(r, "count") > 0);
  const pick = withEvents.length > 0 ? withEvents : rows;
  let earliest = pick[0]!;
  let latest = pick[0]!;
  for (const r of pick) {
    if (hasTimes && num(r, "event_time_first") < num(earliest, "event_time_first")) earliest = r;
    if (!hasTimes || num(r, "event_time_last") >= num(latest, "event_time_last")) latest = r;
  }
  const sameCol = (c: string) => rows.every((r) => r[c] === first[c]);
  const samePartition = sameCol("log_partition");
  const out: Record<string, Cell> = {};
  for (const [col, value] of Object.entries(first)) {
    const all = rows.map((r) => num(r, col));
    if (typeof value === "string" || col === "window_start" || col === "window_end") out[col] = value;
    else if (col === "open") out[col] = earliest[col]!;
    else if (col === "close") out[col] = latest[col]!;
    else if (col === "high" || col === "low") out[col] = finite(all, col === "high" ? Math.max : Math.min);
    else if (col === "gap") out[col] = Math.max(...all);
    else if (col === "vwap")
      out[col] = NaN; // from the sums, below
    else if (col === "event_time_first" || col === "event_time_last") {
      const times = withEvents.length > 0 ? withEvents.map((r) => num(r, col)) : all;
      out[col] = col === "event_time_first" ? Math.min(...times) : Math.max(...times);
    } else if (col.endsWith("_first") && col !== "log_offset_first" && col !== "event_time_first")
      out[col] = earliest[col]!;
    else if (col.endsWith("_last") && col !== "log_offset_last" && col !== "event_time_last") out[col] = latest[col]!;
    else if (col.endsWith("_min") || col === "event_time_first") out[col] = Math.min(...all);
    else if (col.endsWith("_max") || col === "event_time_last" || col === "complete") out[col] = Math.max(...all);
    else if (col === "log_partition") out[col] = samePartition ? value : -1;
    else if (col === "log_offset_first") out[col] = samePartition ? Math.min(...all) : -1;
    else if (col === "log_offset_last") out[col] = samePartition ? Math.max(...all) : -1;
    else if (col.endsWith("_mean"))
      out[col] = NaN; // from its sum, below
    else out[col] = all.reduce((a, b) => a + b, 0); // count, *_sum, label counts
  }
  const count = num(out, "count");
  if ("vwap" in out) out.vwap = num(out, "quote_volume") / num(out, "volume");
  for (const col of Object.keys(out)) {
    if (!col.endsWith("_mean")) continue;
    const sum = `${col.slice(0, -"_mean".length)}_sum`;
    // Without a sum column, a count-weighted mean of the rows' means.
    out[col] =
      sum in out
        ? num(out, sum) / count
        : rows.reduce((a, r) => a + num(r, col) * num(r, "count"), 0) / rows.reduce((a, r) => a + num(r, "count"), 0);
  }
  return out;
}

/**
 * Every window of a table once, in order of window_start (then first appearance):
 * repeats skipped and partial rows merged.
 */
export function mergeWindowRows(rows: readonly WindowRow[]): WindowRow[] {
  const groups = new Map<string, WindowRow[]>();
  for (const row of rows) {
    const key = windowKey(row);
    const g = groups.get(key);
    if (g) g.push(row);
    else groups.set(key, [row]);
  }
  const merged = [...groups.values()].map((g) => mergeWindow(dropRepeats(g)));
  // A stable sort keeps file order among windows with equal starts (several sources).
  return merged.sort((a, b) => num(a, "window_start") - num(b, "window_start"));
}

/** True for a table whose rows are windows (the merge rule applies to it). */
export function isWindowTable(columns: readonly string[]): boolean {
  return columns.includes("window_start") && columns.includes("window_end") && columns.includes("count");
}
