// Summarises a store written by the pipeline (one file, or a folder of partition files):
// its files, and every dataset with its rows and time range over all of them.
import fs from "node:fs";
import { datasetPaths, readColumns } from "@cryptostream/common/hdf5/reader";
import { inRange, storeInputs } from "./store-files.mjs";
import { openOrExit } from "./open-h5.mjs";
import { dateColumn, rowTimeColumn } from "./store-tables.mjs";

/**
 * @param {string} given the path as typed (a folder, a file, or the earlier setting x.h5)
 * @param {Array<{ path: string }>} [files] the store's files to read (storeInputs; default: all of `given`'s)
 * @param {{ start: number, end: number } | undefined} [range] rows outside it are not counted
 * @returns {Promise<{ file: string, exists: boolean, bytes?: number, files?: Array<{ path: string, bytes: number }>, datasets: object[] }>}
 *   exists is false when `given` has no store file (nothing written yet)
 */
export async function summarise(given, files = storeInputs(given).files, range = undefined) {
  if (!files || files.length === 0) return { file: given, exists: false, files: [], datasets: [] };
  const datasets = new Map();
  const perFile = [];
  for (const file of files) {
    const f = await openOrExit(file.path);
    try {
      for (const p of datasetPaths(f)) {
        const ds = f.get(p);
        const names = Array.isArray(ds.dtype) ? ds.dtype.map(([n]) => n) : [];
        const routing = rowTimeColumn(names);
        const timeCol = dateColumn(names);
        // A partition read for the late rows of the range offers none of a table without a routing time.
        if (file.lateRowsOnly && !routing) continue;
        let rows = ds.shape?.[0] ?? 0;
        let d = datasets.get(p);
        if (!d) datasets.set(p, (d = { path: p, rows: 0, columns: names.length, files: 0, timeColumn: timeCol }));
        d.files++;
        if (timeCol && rows > 0) {
          let lo = Infinity;
          let hi = -Infinity;
          let kept = 0;
          for (const v of readColumns(f, p, [timeCol]).get(timeCol)) {
            const t = Number(v);
            if (routing && !inRange(range, t)) continue;
            kept++;
            if (t < lo) lo = t;
            if (t > hi) hi = t;
          }
          rows = kept;
          if (kept > 0) {
            d.lo = Math.min(d.lo ?? Infinity, lo);
            d.hi = Math.max(d.hi ?? -Infinity, hi);
          }
        }
        d.rows += rows;
      }
    } finally {
      f.close();
    }
    perFile.push({ path: file.path, bytes: fs.statSync(file.path).size });
  }
  const out = [...datasets.values()].map(({ lo, hi, timeColumn, ...d }) => ({
    ...d,
    ...(timeColumn
      ? {
          timeColumn,
          ...(lo !== undefined ? { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() } : {}),
        }
      : {}),
  }));
  return {
    file: given,
    exists: true,
    bytes: perFile.reduce((a, f) => a + f.bytes, 0),
    files: perFile,
    datasets: out,
  };
}

export function printSummary(s, out = console.log) {
  if (!s.exists) {
    out(`${s.file}: not written (no window has closed yet)`);
    return;
  }
  if (s.files.length === 1 && s.files[0].path === s.file) out(`${s.file} (${s.bytes} bytes)`);
  else {
    out(`${s.file}: ${s.files.length} files, ${s.bytes} bytes`);
    for (const f of s.files) out(`  ${f.path} (${f.bytes} bytes)`);
  }
  for (const d of s.datasets) {
    out(
      `  ${d.path.padEnd(24)} ${String(d.rows).padStart(7)} rows${d.from ? `  ${d.timeColumn} ${d.from} .. ${d.to}` : ""}`,
    );
  }
}
