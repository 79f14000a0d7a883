#!/usr/bin/env node
// `npm run export -- FILE.h5 [DATASET ...] (--csv DIR | --jsonl DIR) [--raw]`: writes each
// table (every one when none is named) as DIR/<dataset path>.csv or .jsonl with a header,
// times as ISO-8601 UTC beside the milliseconds, texts whole (overflow heap included), and
// window rows merged by the rule of docs/hdf5-layout.md unless --raw.
import fs from "node:fs";
import path from "node:path";
import { datasetPaths } from "@cryptostream/common/hdf5/reader";
import { isWindowTable, mergeWindowRows } from "@cryptostream/common/hdf5/merge-windows";
import { csvLine, exportColumns, exportRow, jsonLine } from "@cryptostream/common/hdf5/row-format";
import { columnsOf, forEachRowBlock, readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";
import { parseArgs } from "./lib/args.mjs";
import { openOrExit } from "./lib/open-h5.mjs";

const USAGE = "usage: npm run export -- FILE.h5 [DATASET ...] (--csv DIR | --jsonl DIR) [--raw]";
const args = parseArgs(process.argv.slice(2), { values: ["--csv", "--jsonl"], flags: ["--raw"] });
const format = args.values["--csv"] !== undefined ? "csv" : args.values["--jsonl"] !== undefined ? "jsonl" : undefined;
const [file, ...named] = args.positional;
if (!file || !format || args.error || (args.values["--csv"] !== undefined && args.values["--jsonl"] !== undefined)) {
  console.error(args.error ? `${args.error}\n${USAGE}` : USAGE);
  process.exit(2);
}
const outDir = path.resolve(args.values[`--${format}`]);
const f = await openOrExit(file);
let failed = false;
try {
  const tables = named.length > 0 ? named : datasetPaths(f).filter((p) => columnsOf(f.get(p)).length > 0);
  for (const name of tables) {
    const ds = tableAt(f, name);
    if (!ds || columnsOf(ds).length === 0) {
      console.error(`${file}: no such dataset ${name}${ds ? " (not a table)" : ""}`);
      failed = true;
      continue;
    }
    const columns = columnsOf(ds);
    const header = exportColumns(columns);
    const target = path.join(outDir, `${ds.path.replace(/^\//, "")}.${format}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const fd = fs.openSync(target, "w");
    let written = 0;
    const write = (rows) => {
      const lines = rows.map((r) => {
        const row = exportRow(r, columns);
        return format === "csv" ? csvLine(header.map((c) => row[c])) : jsonLine(row);
      });
      if (lines.length > 0) fs.writeSync(fd, lines.join("\n") + "\n");
      written += rows.length;
    };
    try {
      if (format === "csv") fs.writeSync(fd, csvLine(header) + "\n");
      // Window tables are small (one row per window); merging needs all rows of a window together.
      if (isWindowTable(columns) && !args.flags["--raw"])
        write(mergeWindowRows(readTableRows(f, ds, 0, rowCountOf(ds))));
      else forEachRowBlock(f, ds, write);
    } finally {
      fs.closeSync(fd);
    }
    console.log(
      `${ds.path} -> ${path.join(args.values[`--${format}`], path.relative(outDir, target))} (${written} rows)`,
    );
  }
} finally {
  f.close();
}
process.exit(failed ? 1 : 0);
