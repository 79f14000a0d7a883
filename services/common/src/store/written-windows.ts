/**
 * What the output file already holds, read back at start and after every
 * rebuild, so that a log replay does not count a message twice. Pure apart
 * from `readWrittenRows`.
 *
 * A message counts as written when a row of its window counts its offset
 * (the row's partition and [first, last] range), or, for rows without a
 * range, when its window has a complete row. Exact per window: a window counts as written only if
 * its own row is in the file, whatever rows of other windows say.
 */
import type { H5Dataset, H5File } from "../hdf5/h5.js";
import type { Origin } from "../sink/origin.js";

interface WindowRows {
  complete: boolean;
  /** Every complete row of the window carries a log range. */
  rangedComplete: boolean;
  ranges: Origin[];
}

export class WrittenWindows {
  private readonly byKey = new Map<string, Map<number, WindowRows>>();

  add(key: string, windowStart: number, complete: boolean, origin: Origin): void {
    let windows = this.byKey.get(key);
    if (!windows) this.byKey.set(key, (windows = new Map()));
    let w = windows.get(windowStart);
    if (!w) windows.set(windowStart, (w = { complete: false, rangedComplete: true, ranges: [] }));
    if (complete) {
      w.complete = true;
      if (origin.partition < 0) w.rangedComplete = false;
    }
    if (origin.partition >= 0) w.ranges.push(origin);
  }

  /**
   * What the file says about the message at (partition, offset) of this
   * window: "counted" (a row of the window counts it), "closed" (the window
   * has a complete row that does not count it: the message came after the
   * window closed, so it is late), or "open" (the file does not count it).
   * A complete row without a log range (ZeroMQ, several partitions) counts
   * everything.
   */
  state(key: string, windowStart: number, partition: number, offset: number): "counted" | "closed" | "open" {
    const w = this.byKey.get(key)?.get(windowStart);
    if (!w) return "open";
    for (const r of w.ranges) if (r.partition === partition && offset >= r.first && offset <= r.last) return "counted";
    if (!w.complete) return "open";
    return w.rangedComplete ? "closed" : "counted";
  }

  /** Keys with rows in the file. */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /**
   * Start of the newest window of `key` with a complete row. Windows of a key
   * close in start order and are written in that order, so every window that
   * starts before it had closed when the run that wrote it went on: a
   * replayed event of such a window that no row counts came late.
   */
  newestComplete(key: string): number | undefined {
    let newest: number | undefined;
    for (const [start, w] of this.byKey.get(key) ?? [])
      if (w.complete && (newest === undefined || start > newest)) newest = start;
    return newest;
  }

  get size(): number {
    let n = 0;
    for (const w of this.byKey.values()) n += w.size;
    return n;
  }
}

/**
 * Reads window_start, complete and the origin columns of the newest `tailRows`
 * rows of a window table (replays reach back only to the last commit, which
 * is recent). Files written before the origin columns existed read as -1.
 * With `keyColumn` (a table holding several keys' windows, e.g. a `source`
 * column) each row goes under its own value of that column; `key` is then
 * for rows where it is missing or empty.
 */
export function readWrittenRows(
  file: H5File,
  path: string,
  key: string,
  into: WrittenWindows,
  tailRows = 4096,
  keyColumn?: string,
): void {
  const ds = file.get(path) as H5Dataset | null;
  if (ds === null) return;
  const n = ds.shape?.[0] ?? 0;
  if (n === 0) return;
  const names = (ds.dtype as Array<[string, string]>).map(([name]) => name);
  const col = (name: string): number => names.indexOf(name);
  const [ws, complete, part, first, last, keyAt] = [
    col("window_start"),
    col("complete"),
    col("log_partition"),
    col("log_offset_first"),
    col("log_offset_last"),
    keyColumn === undefined ? -1 : col(keyColumn),
  ];
  const rows = ds.slice([[Math.max(0, n - tailRows), n]]) as unknown[][];
  const num = (row: unknown[], i: number): number => (i < 0 ? -1 : Number(row[i]));
  const keyOf = (row: unknown[]): string => (keyAt >= 0 && row[keyAt] ? String(row[keyAt]) : key);
  for (const row of rows)
    into.add(keyOf(row), num(row, ws), num(row, complete) === 1, {
      partition: num(row, part),
      first: num(row, first),
      last: num(row, last),
    });
}

/**
 * A table whose rows say which windows the store holds: every dataset under
 * `prefix` (its key: the rest of its path, e.g. `/ticker/` + BTCUSDT), or one
 * dataset at `path` whose `keyColumn` names each row's key (`defaultKey`
 * where it is missing or empty).
 */
export type WindowTable =
  | { readonly prefix: string }
  | { readonly path: string; readonly keyColumn: string; readonly defaultKey: string; readonly tailRows?: number };

/** Reads what `tables` say into `into`, from one file (`paths`: its dataset paths). */
export function readWindowTables(
  file: H5File,
  paths: readonly string[],
  tables: readonly WindowTable[],
  into: WrittenWindows,
): void {
  for (const t of tables) {
    if ("prefix" in t) {
      for (const p of paths) if (p.startsWith(t.prefix)) readWrittenRows(file, p, p.slice(t.prefix.length), into);
    } else if (paths.includes(t.path)) readWrittenRows(file, t.path, t.defaultKey, into, t.tailRows, t.keyColumn);
  }
}
