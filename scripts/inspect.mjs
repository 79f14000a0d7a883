#!/usr/bin/env node
// `npm run inspect -- FILE.h5 [DATASET] [--rows N] [--json]`: what the pipeline wrote,
// read back with h5wasm (an independent check is h5py; see docs/hdf5-layout.md). Without
// DATASET: every dataset with its rows and time range; with one (leading slash optional):
// its attributes and last N rows (default 5), texts whole. For symbols with both our aggTrade
// candles and Binance's klines (/kline/<SYMBOL>), the summary lists where they differ.
import fs from "node:fs";
import { exportColumns, exportRow } from "@cryptostream/common/hdf5/row-format";
import { columnsOf, readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";
import { parseArgs } from "./lib/args.mjs";
import { openOrExit, requireHdf5 } from "./lib/open-h5.mjs";
import { klineReport, printKlineReport } from "./lib/kline-report.mjs";
import { printSummary, summarise } from "./lib/summary.mjs";

const USAGE = "usage: npm run inspect -- FILE.h5 [DATASET] [--rows N] [--json]";
const args = parseArgs(process.argv.slice(2), { values: ["--rows"], flags: ["--json"] });
const json = args.flags["--json"] === true;
const nRows = Number(args.values["--rows"] ?? 5);
const [file, dataset, ...extra] = args.positional;
if (!file || args.error || extra.length > 0 || !Number.isInteger(nRows) || nRows < 0) {
  console.error(args.error ? `${args.error}\n${USAGE}` : USAGE);
  process.exit(2);
}
if (!dataset) {
  if (fs.existsSync(file)) requireHdf5(file);
  const s = await summarise(file);
  const klines = s.exists ? await klineReport(file) : [];
  if (json) console.log(JSON.stringify(klines.length > 0 ? { ...s, klines } : s, null, 2));
  else {
    printSummary(s);
    printKlineReport(klines);
  }
  process.exit(s.exists ? 0 : 1);
}
const f = await openOrExit(file);
let out;
try {
  const ds = tableAt(f, dataset);
  if (ds) {
    const total = rowCountOf(ds);
    const attrs = Object.fromEntries(Object.keys(ds.attrs).map((k) => [k, ds.get_attribute(k, true)]));
    const columns = columnsOf(ds);
    const last = columns.length > 0 ? readTableRows(f, ds, Math.max(0, total - nRows), total) : [];
    out = { dataset: ds.path, rows: total, columns, attrs, last: last.map((r) => exportRow(r, columns)) };
  }
} finally {
  f.close();
}
if (!out) {
  console.error(`${file}: no such dataset ${dataset}`);
  process.exit(1);
}
const plain = (v) => (typeof v === "bigint" ? Number(v) : v);
if (json) {
  console.log(JSON.stringify(out, (_k, v) => plain(v), 2));
} else {
  console.log(`${file} ${out.dataset}: ${out.rows} rows, ${out.columns.length} columns`);
  for (const [k, v] of Object.entries(out.attrs)) console.log(`  @${k} = ${JSON.stringify(plain(v))}`);
  console.log(out.rows > out.last.length ? `last ${out.last.length} rows:` : "rows:");
  const header = exportColumns(out.columns);
  for (const row of out.last) {
    console.log("  ---");
    for (const c of header) console.log(`  ${c.padEnd(22)} ${JSON.stringify(row[c])}`);
  }
}
