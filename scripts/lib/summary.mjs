// Summarises HDF5 files written by the pipeline: every dataset, its rows and time range.
import fs from "node:fs";
import { datasetPaths, readColumns, withFile } from "@cryptostream/common/hdf5/reader";

const TIME_COLUMNS = ["window_start", "created_at", "open_time", "from"];

export async function summarise(filePath) {
  if (!fs.existsSync(filePath)) return { file: filePath, exists: false, datasets: [] };
  const datasets = await withFile(filePath, (f) =>
    datasetPaths(f).map((p) => {
      const ds = f.get(p);
      const rows = ds.shape?.[0] ?? 0;
      const names = Array.isArray(ds.dtype) ? ds.dtype.map(([n]) => n) : [];
      const timeCol = TIME_COLUMNS.find((c) => names.includes(c));
      let from;
      let to;
      if (timeCol && rows > 0) {
        const times = readColumns(f, p, [timeCol]).get(timeCol).map(Number);
        from = new Date(Math.min(...times)).toISOString();
        to = new Date(Math.max(...times)).toISOString();
      }
      return { path: p, rows, columns: names.length, ...(timeCol ? { timeColumn: timeCol, from, to } : {}) };
    }),
  );
  return { file: filePath, exists: true, bytes: fs.statSync(filePath).size, datasets };
}

export function printSummary(s, out = console.log) {
  if (!s.exists) {
    out(`${s.file}: not written (no window has closed yet)`);
    return;
  }
  out(`${s.file} (${s.bytes} bytes)`);
  for (const d of s.datasets) {
    out(
      `  ${d.path.padEnd(24)} ${String(d.rows).padStart(7)} rows${d.from ? `  ${d.timeColumn} ${d.from} .. ${d.to}` : ""}`,
    );
  }
}
