/**
 * Reads what the dashboard shows from the processors' HDF5 files (IO only; the pure
 * modules in series/ give it meaning). Each read opens the file read-only and closes it
 * before returning: the processors replace their files by rename, so every open sees one
 * whole version, and nothing here ever writes.
 */
import fs from "node:fs";
import { loadH5, type H5File } from "@cryptostream/common/hdf5/h5";
import { datasetPaths } from "@cryptostream/common/hdf5/reader";
import { isWindowTable } from "@cryptostream/common/hdf5/merge-windows";
import { columnsOf, readTableRows, rowCountOf, tableAt, type TableRow } from "@cryptostream/common/hdf5/table-rows";

export type FileState = "ok" | "missing" | "unreadable";

export interface FileStatus {
  readonly file: string;
  readonly state: FileState;
  /** For people: what is wrong and what to do. */
  readonly message?: string;
  readonly bytes?: number;
  readonly mtimeMs?: number;
}

export interface MarketTable {
  /** Dataset path, e.g. /ticker/BTCUSDT. */
  readonly dataset: string;
  readonly stream: string;
  readonly symbol: string;
  readonly rows: number;
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Rows read beyond the windows shown, so that the oldest shown window has all its partial rows. */
const SLACK_ROWS = 64;

function signatureOk(filePath: string): boolean {
  const fd = fs.openSync(filePath, "r");
  try {
    const head = Buffer.alloc(HDF5_SIGNATURE.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(HDF5_SIGNATURE);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens the file and runs `fn` on it; a status that says why when it cannot (missing,
 * not HDF5, unreadable), never an exception.
 */
export async function readH5<T>(
  filePath: string,
  fn: (file: H5File) => T,
): Promise<{ status: FileStatus; value?: T }> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT"
        ? "not written yet: the processor creates it when its first window closes"
        : `cannot be read (${code ?? String(err)})`;
    return { status: { file: filePath, state: code === "ENOENT" ? "missing" : "unreadable", message } };
  }
  const base = { file: filePath, bytes: stat.size, mtimeMs: stat.mtimeMs };
  const unreadable = (why: string) => ({ status: { ...base, state: "unreadable" as const, message: why } });
  try {
    if (!stat.isFile()) return unreadable("is not a file");
    if (!signatureOk(filePath)) return unreadable("is not an HDF5 file (no HDF5 signature at its start)");
  } catch (err) {
    return unreadable(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const h5 = await loadH5();
  let file: H5File;
  try {
    file = new h5.File(filePath, "r");
  } catch (err) {
    return unreadable(`cannot be opened as HDF5 (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return { status: { ...base, state: "ok" }, value: fn(file) };
  } catch (err) {
    return unreadable(`cannot be read as the pipeline writes it (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    file.close();
  }
}

/** The market tables of binance.h5 (`/<stream>/<SYMBOL>`), by stream and symbol. */
export function marketTables(file: H5File): MarketTable[] {
  const out: MarketTable[] = [];
  for (const p of datasetPaths(file)) {
    const parts = p.split("/").filter(Boolean);
    if (parts.length !== 2) continue;
    const ds = tableAt(file, p);
    if (!ds || !isWindowTable(columnsOf(ds))) continue;
    out.push({ dataset: p, stream: parts[0]!, symbol: parts[1]!, rows: rowCountOf(ds) });
  }
  return out.sort((a, b) => a.stream.localeCompare(b.stream) || a.symbol.localeCompare(b.symbol));
}

/** The newest rows of a window table: enough for `maxWindows` windows and their partial rows. */
export function windowTail(file: H5File, dataset: string, maxWindows: number): TableRow[] {
  const ds = tableAt(file, dataset);
  if (!ds) return [];
  const n = rowCountOf(ds);
  return readTableRows(file, ds, Math.max(0, n - maxWindows - SLACK_ROWS), n);
}

/** Rows in a table (0 when it is missing). */
export function tableRows(file: H5File, dataset: string): number {
  const ds = tableAt(file, dataset);
  return ds ? rowCountOf(ds) : 0;
}

/** The newest `n` rows of a table, texts whole. */
export function lastRows(file: H5File, dataset: string, n: number): TableRow[] {
  const ds = tableAt(file, dataset);
  if (!ds) return [];
  const total = rowCountOf(ds);
  return readTableRows(file, ds, Math.max(0, total - n), total);
}
