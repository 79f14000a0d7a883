/**
 * What a view needs from a store of partition files, reading as few of them as it can
 * (newest first, through the PartitionReader's per-version memory):
 *
 * - a window table's newest `maxWindows` windows: the newest period's files, then older ones
 *   only while the windows read so far do not fill the chart or the chart's time range
 *   (`maxWindows` windows back from the newest one) reaches into them. Rows of one window
 *   found in several files (a window at a period boundary, a late row written to the next
 *   partition, replicas) are returned together, for the merge rule;
 * - a table's newest rows (posts), from the newest periods until there are enough;
 * - the market tables, from the open (newest) periods' files.
 */
import type { TableRow } from "@cryptostream/common/hdf5/table-rows";
import { lastRows, type MarketTable, marketTables, windowTail } from "./h5-files.js";
import type { PartitionReader, ReadQuery } from "./partition-reader.js";
import { openFiles, type PeriodGroup } from "./store-files.js";

export interface StoreRows {
  /** Oldest file first; a file's rows in file order. */
  readonly rows: TableRow[];
  /** The files read and their versions: equal signatures mean equal rows. */
  readonly signature: string;
  /** Newest mtime of the files read (when the processor wrote them), ms; undefined when none. */
  readonly mtimeMs?: number;
}

export const tailQuery = (dataset: string, rows: number): ReadQuery => ({
  key: `tail:${dataset}:${rows}`,
  fn: (f) => windowTail(f, dataset, rows),
});

export const lastQuery = (dataset: string, rows: number): ReadQuery => ({
  key: `last:${dataset}:${rows}`,
  fn: (f) => lastRows(f, dataset, rows),
});

export const TABLES_QUERY: ReadQuery = { key: "tables", fn: (f) => marketTables(f) };

/** Reads one query from every file of a group; the files that vanished or are unreadable are skipped. */
async function readGroup(
  reader: PartitionReader,
  group: PeriodGroup,
  query: ReadQuery,
  into: { sig: string[]; mtimeMs?: number },
): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for (const f of group.files) {
    const r = await reader.read(f.path, [query]);
    if (!r) continue;
    into.sig.push(`${f.path}@${r.identity}`);
    into.mtimeMs = Math.max(into.mtimeMs ?? 0, r.mtimeMs);
    out.push(...((r.values.get(query.key) as TableRow[] | undefined) ?? []));
  }
  return out;
}

/**
 * The rows of a window table that its newest `maxWindows` windows need. `tailRows` rows are
 * read from the end of the table in each file. A table that no open period's file holds is not
 * looked for further back (a symbol no longer recorded).
 */
export async function windowRows(
  reader: PartitionReader,
  groups: readonly PeriodGroup[],
  dataset: string,
  maxWindows: number,
  tailRows: number,
  openPeriods: number,
): Promise<StoreRows> {
  const query = tailQuery(dataset, tailRows);
  const into: { sig: string[]; mtimeMs?: number } = { sig: [] };
  const parts: TableRow[][] = [];
  const starts = new Set<number>();
  let newest = -Infinity;
  let windowMs = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (starts.size === 0) {
      if (i >= openPeriods) break;
    } else {
      // Older partitions hold older windows: stop once they lie before the chart's time range,
      // or before the oldest of `maxWindows` windows already found.
      if (g.end <= newest - maxWindows * windowMs) break;
      if (starts.size >= maxWindows) {
        const threshold = [...starts].sort((a, b) => b - a)[maxWindows - 1]!;
        if (g.end <= threshold) break;
      }
    }
    const rows = await readGroup(reader, g, query, into);
    for (const r of rows) {
      const s = Number(r.window_start);
      starts.add(s);
      newest = Math.max(newest, s);
      if (windowMs === 0) windowMs = Math.max(0, Number(r.window_end) - s);
    }
    parts.push(rows);
  }
  return { rows: parts.reverse().flat(), signature: into.sig.join(","), mtimeMs: into.mtimeMs };
}

/**
 * The newest `n` rows of a table over the newest `maxGroups` periods (fewer when the newest
 * period holds enough), oldest first; `idColumn` keeps one row per id (replica files may
 * hold the same post).
 */
export async function newestRows(
  reader: PartitionReader,
  groups: readonly PeriodGroup[],
  dataset: string,
  n: number,
  maxGroups: number,
  idColumn?: string,
): Promise<StoreRows> {
  const query = lastQuery(dataset, n);
  const into: { sig: string[]; mtimeMs?: number } = { sig: [] };
  const parts: TableRow[][] = [];
  let count = 0;
  for (const g of groups.slice(0, maxGroups)) {
    if (count >= n) break;
    const rows = await readGroup(reader, g, query, into);
    parts.push(rows);
    count += rows.length;
  }
  let rows = parts.reverse().flat();
  if (idColumn !== undefined) {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const id = String(r[idColumn]);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  return { rows: rows.slice(-n), signature: into.sig.join(","), mtimeMs: into.mtimeMs };
}

/** The market tables of the open periods' files, rows summed over them. */
export async function openTables(
  reader: PartitionReader,
  groups: readonly PeriodGroup[],
  prefetch: readonly ReadQuery[] = [],
): Promise<{ tables: MarketTable[]; mtimeMs?: number }> {
  const byName = new Map<string, MarketTable>();
  let mtimeMs: number | undefined;
  for (const f of openFiles(groups)) {
    const r = await reader.read(f.path, [TABLES_QUERY, ...prefetch]);
    if (!r) continue;
    mtimeMs = Math.max(mtimeMs ?? 0, r.mtimeMs);
    for (const t of (r.values.get(TABLES_QUERY.key) as MarketTable[] | undefined) ?? []) {
      const had = byName.get(t.dataset);
      byName.set(t.dataset, had ? { ...had, rows: had.rows + t.rows } : t);
    }
  }
  const tables = [...byName.values()].sort(
    (a, b) => a.stream.localeCompare(b.stream) || a.symbol.localeCompare(b.symbol),
  );
  return { tables, mtimeMs };
}
