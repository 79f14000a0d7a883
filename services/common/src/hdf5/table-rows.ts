/**
 * Reads rows of the pipeline's compound tables as plain records, for readers (inspect,
 * export, the dashboard): integers as numbers, fixed strings as text, and texts that
 * overflowed their field read whole from `/text_heap` (docs/hdf5-layout.md, read-back
 * recipe). Call after loadH5(); the file stays open for the caller.
 */
import type { H5Dataset, H5File } from "./h5.js";
import { readByteHeap } from "./byte-heap.js";
import type { Cell } from "./merge-windows.js";

export type TableRow = Record<string, Cell>;

/** Text columns whose whole value may live in the heap: column -> [byte length, heap offset] columns. */
export const HEAP_TEXTS: Readonly<Record<string, readonly [string, string]>> = {
  text: ["text_bytes", "text_heap_offset"],
  cleaned_text: ["cleaned_bytes", "cleaned_heap_offset"],
};
export const TEXT_HEAP_PATH = "/text_heap";

/** The dataset at `datasetPath`, with or without its leading slash; undefined when there is none. */
export function tableAt(file: H5File, datasetPath: string): H5Dataset | undefined {
  const p = datasetPath.startsWith("/") ? datasetPath : `/${datasetPath}`;
  let entity: unknown;
  try {
    entity = file.get(p);
  } catch {
    return undefined;
  }
  return entity && (entity as object).constructor.name === "Dataset" ? (entity as H5Dataset) : undefined;
}

/** Column names of a compound table ([] for a plain array such as the heap). */
export function columnsOf(ds: H5Dataset): string[] {
  return Array.isArray(ds.dtype) ? (ds.dtype as Array<[string, string]>).map(([n]) => n) : [];
}

export function rowCountOf(ds: H5Dataset): number {
  return ds.shape?.[0] ?? 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** The whole text of one heap-capable column of a row, as the read-back recipe restores it. */
function wholeText(file: H5File, row: TableRow, col: string, [bytesCol, offsetCol]: readonly [string, string]): string {
  const n = Number(row[bytesCol]);
  const off = Number(row[offsetCol]);
  if (off >= 0) return decoder.decode(readByteHeap(file, TEXT_HEAP_PATH, off, n));
  const stored = String(row[col]);
  // A reader honouring the space-padding flag may strip trailing spaces; the length restores them.
  const missing = n - encoder.encode(stored).length;
  return missing > 0 ? stored + " ".repeat(missing) : stored;
}

/** Rows [from, to) of a compound table, in file order. */
export function readTableRows(file: H5File, ds: H5Dataset, from: number, to: number): TableRow[] {
  const names = columnsOf(ds);
  const end = Math.min(to, rowCountOf(ds));
  if (from >= end) return [];
  const texts = Object.entries(HEAP_TEXTS).filter(
    ([c, [b, o]]) => names.includes(c) && names.includes(b) && names.includes(o),
  );
  const raw = ds.slice([[from, end]]) as unknown[][];
  return raw.map((values) => {
    const row: TableRow = {};
    names.forEach((n, i) => {
      const v = values[i];
      row[n] = typeof v === "bigint" ? Number(v) : (v as Cell);
    });
    for (const [col, refs] of texts) row[col] = wholeText(file, row, col, refs);
    return row;
  });
}

/** Calls `each` with successive blocks of rows [from, to), so a large table is never held whole. */
export function forEachRowBlock(
  file: H5File,
  ds: H5Dataset,
  each: (rows: TableRow[]) => void,
  from = 0,
  to = rowCountOf(ds),
  blockRows = 4096,
): void {
  for (let a = from; a < to; a += blockRows) each(readTableRows(file, ds, a, Math.min(to, a + blockRows)));
}
