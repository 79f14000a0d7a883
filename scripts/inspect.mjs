#!/usr/bin/env node
// `npm run inspect -- PATH [DATASET] [--rows N] [--json] [--from DAY] [--to DAY]`: what the
// pipeline wrote, read back with h5wasm (an independent check is h5py; see docs/hdf5-layout.md).
// PATH is a store folder of partition files, a single .h5 file, or the earlier setting
// data/binance.h5 (the folder data/binance). Without DATASET: the files read, and every dataset
// with its rows and time range over all of them; with one (leading slash optional): its
// attributes (of the newest file holding it) and the last N rows (default 5) of its rows
// concatenated over the files, texts whole. For symbols with both our aggTrade candles and
// Binance's klines (/kline/<SYMBOL>), the summary lists where they differ. --from/--to (UTC day
// YYYY-MM-DD or hour YYYY-MM-DDTHH, inclusive) read only the partitions of that range and count
// only the rows whose time lies in it.
import { exportColumns, exportRow } from "@cryptostream/common/hdf5/row-format";
import { columnsOf, forEachRowBlock, readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";
import { readColumns } from "@cryptostream/common/hdf5/reader";
import { parseArgs } from "./lib/args.mjs";
import { openOrExit } from "./lib/open-h5.mjs";
import { klineReport, printKlineReport } from "./lib/kline-report.mjs";
import { inRange, parseRange, storeInputsOrExit } from "./lib/store-files.mjs";
import { rowTimeColumn } from "./lib/store-tables.mjs";
import { printSummary, summarise } from "./lib/summary.mjs";

const USAGE =
  "usage: npm run inspect -- PATH [DATASET] [--rows N] [--json] [--from YYYY-MM-DD[THH]] [--to YYYY-MM-DD[THH]]";
const args = parseArgs(process.argv.slice(2), { values: ["--rows", "--from", "--to"], flags: ["--json"] });
const json = args.flags["--json"] === true;
const nRows = Number(args.values["--rows"] ?? 5);
const [given, dataset, ...extra] = args.positional;
const { range, error: rangeError } = parseRange(args.values["--from"], args.values["--to"]);
if (!given || args.error || rangeError || extra.length > 0 || !Number.isInteger(nRows) || nRows < 0) {
  const why = args.error ?? rangeError;
  console.error(why ? `${why}\n${USAGE}` : USAGE);
  process.exit(2);
}
const files = storeInputsOrExit(given, range);
if (!dataset) {
  const s = await summarise(given, files, range);
  const klines = await klineReport(files, range);
  if (json) console.log(JSON.stringify(klines.length > 0 ? { ...s, klines } : s, null, 2));
  else {
    printSummary(s);
    printKlineReport(klines);
  }
  process.exit(0);
}

const name = dataset.startsWith("/") ? dataset : `/${dataset}`;
/** Rows of one file's table that lie in the range. */
const keep = (timeCol) => (range && timeCol ? (r) => inRange(range, Number(r[timeCol])) : () => true);
let out;
const holding = [];
for (const file of files) {
  const f = await openOrExit(file.path);
  try {
    const ds = tableAt(f, name);
    if (!ds) continue;
    const columns = columnsOf(ds);
    const timeCol = rowTimeColumn(columns);
    if (file.lateRowsOnly && !timeCol) continue;
    let rows = rowCountOf(ds);
    if (range && timeCol && rows > 0)
      rows = readColumns(f, ds.path, [timeCol])
        .get(timeCol)
        .filter((v) => inRange(range, Number(v))).length;
    const attrs = Object.fromEntries(Object.keys(ds.attrs).map((k) => [k, ds.get_attribute(k, true)]));
    out = { dataset: ds.path, rows: (out?.rows ?? 0) + rows, columns, attrs, files: holding.length + 1, last: [] };
    holding.push({ file, rows });
  } finally {
    f.close();
  }
}
if (!out) {
  console.error(`${given}: no such dataset ${dataset}`);
  process.exit(1);
}
// The last N rows of the concatenation: from the newest file back.
if (out.columns.length > 0) {
  const tail = [];
  for (let i = holding.length - 1; i >= 0 && tail.length < nRows; i--) {
    const need = nRows - tail.length;
    const f = await openOrExit(holding[i].file.path);
    try {
      const ds = tableAt(f, name);
      const total = rowCountOf(ds);
      let got;
      if (!range) got = readTableRows(f, ds, Math.max(0, total - need), total);
      else {
        got = [];
        const ok = keep(rowTimeColumn(out.columns));
        forEachRowBlock(f, ds, (block) => {
          got.push(...block.filter(ok));
          if (got.length > need) got = got.slice(-need);
        });
      }
      tail.unshift(...got);
    } finally {
      f.close();
    }
  }
  out.last = tail.map((r) => exportRow(r, out.columns));
}
const plain = (v) => (typeof v === "bigint" ? Number(v) : v);
if (json) {
  console.log(JSON.stringify(out, (_k, v) => plain(v), 2));
} else {
  const inFiles = files.length > 1 ? ` in ${out.files} of ${files.length} files` : "";
  console.log(`${given} ${out.dataset}: ${out.rows} rows, ${out.columns.length} columns${inFiles}`);
  for (const [k, v] of Object.entries(out.attrs)) console.log(`  @${k} = ${JSON.stringify(plain(v))}`);
  console.log(out.rows > out.last.length ? `last ${out.last.length} rows:` : "rows:");
  const header = exportColumns(out.columns);
  for (const row of out.last) {
    console.log("  ---");
    for (const c of header) console.log(`  ${c.padEnd(22)} ${JSON.stringify(row[c])}`);
  }
}
