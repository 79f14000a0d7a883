// Reads the tables of a store (several HDF5 files: partitions, replicas, a file of the earlier
// layout) as if they were one file, the way docs/hdf5-layout.md says to read several files:
// each table's rows concatenated over the files in reading order, texts resolved against each
// row's own file's /text_heap, window rows merged by the documented rule over every file
// ("Merging rows of one window"), and /tweets kept once per id (the first row of an id in
// reading order; "Several replicas"). --raw skips the merge and the id rule.
//
// Memory: a partition holds the rows of its own period plus a few late ones (rows written after
// their period was sealed land in the oldest open partition), so window rows are merged one
// group of overlapping partitions at a time (a day file with its hour files and replicas): the
// late rows are found first by their window_start alone and joined to their own period's group.
// Only a file without a period (a single file, before-partitions.h5) is held whole, as the
// single-file export always did. Other tables stream in blocks.
import { datasetPaths } from "@cryptostream/common/hdf5/reader";
import { isWindowTable, mergeWindowRows } from "@cryptostream/common/hdf5/merge-windows";
import { readMembers } from "@cryptostream/common/hdf5/read-members";
import { columnsOf, forEachRowBlock, readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";
import { inRange } from "./store-files.mjs";
import { openOrExit } from "./open-h5.mjs";

/**
 * The column whose time places a row in its partition (the store's routing, docs/hdf5-layout.md):
 * window_start (windows, /tweets, /sentiment), open_time (/kline), to (/gaps). --from/--to keep
 * the rows whose value lies in the range. A /deletes row goes to its post's partition, which
 * none of its columns tells: it is kept whenever its file is read.
 */
export const ROW_TIME_COLUMNS = ["window_start", "open_time", "to"];

export function rowTimeColumn(columns) {
  return ROW_TIME_COLUMNS.find((c) => columns.includes(c));
}

/** The time that dates a row (Parquet's date=, the summary's range): its routing time, else created_at or deleted_at. */
export function dateColumn(columns) {
  return rowTimeColumn(columns) ?? ["created_at", "deleted_at"].find((c) => columns.includes(c));
}

/** The compound tables of an open file ([] for a plain array such as /text_heap). */
export function tablesOf(f) {
  return datasetPaths(f).filter((p) => columnsOf(f.get(p)).length > 0);
}

/** h5wasm's member codes of a table ("<q", "<d", "S20", ...), in column order. */
export function typesOf(ds) {
  return Array.isArray(ds.dtype) ? ds.dtype.map(([, t]) => t) : [];
}

/** Groups of partitions whose periods overlap (a day with its hours, replicas of one period), oldest first. */
function periodGroups(files) {
  const groups = [];
  for (const f of files) {
    const last = groups.at(-1);
    if (last && f.period.start < last.end) {
      last.files.push(f);
      last.end = Math.max(last.end, f.period.end);
    } else groups.push({ start: f.period.start, end: f.period.end, files: [f] });
  }
  return groups;
}

/** Index of the first group that ends after `ms` (groups.length when none). */
function groupIndex(groups, ms) {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (groups[mid].end <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reads `files` (from storeInputs) and calls, per table in the order tables are first met:
 *   open(table) once, with { path, columns, types, timeColumn, window }, returning a sink
 *   { write(rows), flushBefore?(ms) } that receives the table's rows in their final order.
 * `only` (table paths, leading slash) names the tables to read (a missing one is a problem);
 * `want(path)` skips the tables it returns false for; `range` filters rows by their time column.
 * Returns { tables: Map(path -> { ...info, rows }), problems: [one line each] }.
 */
export async function readStore(files, { only, want, range, raw = false, open }) {
  const tables = new Map();
  const problems = [];
  const notTables = new Set();
  const floating = files.filter((f) => !f.period);
  const groups = periodGroups(files.filter((f) => f.period));

  const tableIn = (f, file, p) => {
    const ds = tableAt(f, p);
    if (!ds) return undefined;
    const columns = columnsOf(ds);
    if (columns.length === 0) {
      notTables.add(p);
      return undefined;
    }
    const types = typesOf(ds);
    let t = tables.get(p);
    if (!t) {
      const window = isWindowTable(columns) && !raw;
      t = {
        path: p,
        columns,
        types,
        timeColumn: rowTimeColumn(columns),
        window,
        firstFile: file.path,
        rows: 0,
        held: [], // window rows of files without a period, held until their group is merged
        late: [], // window rows of partitions after their own period's (written after sealing)
        pending: [], // window rows of the current group
        ids: p === "/tweets" && !raw && columns.includes("id") ? new Set() : undefined,
      };
      t.sink = open(t);
      tables.set(p, t);
    } else if (t.columns.join(",") !== columns.join(",") || t.types.join(",") !== types.join(",")) {
      problems.push(
        `${file.path}: ${p} has columns [${columns.join(", ")}] unlike ${t.firstFile}; its rows were left out`,
      );
      return undefined;
    }
    return { ds, t };
  };

  const emit = (t, rows) => {
    if (rows.length === 0) return;
    let out = rows;
    if (t.ids) {
      out = rows.filter((r) => {
        if (t.ids.has(r.id)) return false;
        t.ids.add(r.id);
        return true;
      });
    }
    t.rows += out.length;
    t.sink.write(out);
  };

  const ownPeriod = (file) => (r) => {
    const ms = Number(r.window_start);
    return ms >= file.period.start && ms < file.period.end;
  };

  /** Every table's rows of one file: window rows into `into(t)`, others straight out. */
  const readFile = async (file, into) => {
    const f = await openOrExit(file.path);
    try {
      const paths = (only ?? tablesOf(f)).filter((p) => !want || want(p));
      for (const p of paths) {
        const hit = tableIn(f, file, p);
        if (!hit) continue;
        const { ds, t } = hit;
        // Read after the range for its late rows only: a table without a routing time has none to offer.
        if (file.lateRowsOnly && (!t.timeColumn || t.window)) continue;
        const inTime = range && t.timeColumn ? (r) => inRange(range, Number(r[t.timeColumn])) : undefined;
        // A partition's window rows of other periods were taken by lateWindowRows.
        const own = t.window && file.period ? ownPeriod(file) : undefined;
        const keep = inTime && own ? (r) => own(r) && inTime(r) : (inTime ?? own);
        forEachRowBlock(f, ds, (block) => {
          const rows = keep ? block.filter(keep) : block;
          if (t.window) into(t).push(...rows);
          else emit(t, rows);
        });
      }
    } finally {
      f.close();
    }
  };

  /** The window rows of a partition whose window_start lies outside its period, found by that column alone. */
  const lateWindowRows = async (file) => {
    const f = await openOrExit(file.path);
    try {
      const paths = (only ?? tablesOf(f)).filter((p) => !want || want(p));
      for (const p of paths) {
        const hit = tableIn(f, file, p);
        if (!hit || !hit.t.window) continue;
        const { ds, t } = hit;
        let i = 0;
        const at = [];
        readMembers(f, ds, [{ name: "window_start", kind: "int" }], 0, rowCountOf(ds), ([ms]) => {
          if (ms < file.period.start || ms >= file.period.end) at.push(i);
          i++;
        });
        for (const k of at) {
          const [row] = readTableRows(f, ds, k, k + 1);
          if (inRange(range, Number(row.window_start))) t.late.push(row);
        }
      }
    } finally {
      f.close();
    }
  };

  for (const file of floating) await readFile(file, (t) => t.held);
  for (const file of files) if (file.period) await lateWindowRows(file);
  // Rows of files without a period (read before every partition) and late rows (from partitions
  // after their own) go to the group their window falls in, or between groups; each group then
  // merges its rows in the order of the files that hold them.
  const bucketsOf = new Map();
  const split = (rows) => {
    const b = { inside: groups.map(() => []), before: [...groups.map(() => []), []] };
    for (const r of rows) {
      const ms = Number(r.window_start);
      const i = groupIndex(groups, ms);
      if (i < groups.length && groups[i].start <= ms) b.inside[i].push(r);
      else b.before[i].push(r);
    }
    return b;
  };
  const buckets = (t) => {
    let b = bucketsOf.get(t);
    if (!b) {
      b = { early: split(t.held), late: split(t.late) };
      t.held = [];
      t.late = [];
      bucketsOf.set(t, b);
    }
    return b;
  };
  const windowTables = () => [...tables.values()].filter((t) => t.window);
  const between = (t, i) => [...buckets(t).early.before[i], ...buckets(t).late.before[i]];

  for (let i = 0; i < groups.length; i++) {
    for (const t of windowTables()) emit(t, mergeWindowRows(between(t, i)));
    for (const file of groups[i].files) await readFile(file, (t) => t.pending);
    for (const t of windowTables()) {
      const b = buckets(t);
      emit(t, mergeWindowRows([...b.early.inside[i], ...t.pending, ...b.late.inside[i]]));
      t.pending = [];
    }
    for (const t of tables.values()) t.sink.flushBefore?.(groups[i].end);
  }
  for (const t of windowTables()) emit(t, mergeWindowRows(between(t, groups.length)));
  if (only) {
    for (const p of only) {
      if (!tables.has(p))
        problems.push(`no such dataset ${p.replace(/^\//, "")}${notTables.has(p) ? " (not a table)" : ""}`);
    }
  }
  return { tables, problems };
}
