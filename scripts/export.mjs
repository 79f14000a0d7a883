#!/usr/bin/env node
// `npm run export -- PATH [DATASET ...] (--csv DIR | --jsonl DIR | --parquet DIR) [--from DAY] [--to DAY] [--raw]`
// PATH is a store folder of partition files (data/binance), a single .h5 file, or the earlier
// setting data/binance.h5 (the folder data/binance, and the file itself if it is still there).
// Writes each table (every one when none is named), its rows concatenated over the files:
//   --csv / --jsonl: DIR/<dataset path>.csv or .jsonl with a header, times as ISO-8601 UTC
//     beside the milliseconds;
//   --parquet: Hive-partitioned Parquet, DIR/<stream>/symbol=<SYMBOL>/date=<day>/part-0.parquet
//     or DIR/<table>/date=<day>/part-0.parquet (scripts/lib/parquet-out.mjs).
// Texts come whole (overflow heap of each row's own file), window rows are merged by the rule of
// docs/hdf5-layout.md over every file and /tweets rows kept once per id, unless --raw.
// --from/--to (UTC day YYYY-MM-DD or hour YYYY-MM-DDTHH, inclusive) open only the partitions
// of that range and keep the rows whose time lies in it.
import fs from "node:fs";
import path from "node:path";
import { csvLine, exportColumns, exportRow, jsonLine } from "@cryptostream/common/hdf5/row-format";
import { parseArgs } from "./lib/args.mjs";
import { ParquetTable } from "./lib/parquet-out.mjs";
import { parseRange, storeInputsOrExit } from "./lib/store-files.mjs";
import { readStore } from "./lib/store-tables.mjs";

const USAGE =
  "usage: npm run export -- PATH [DATASET ...] (--csv DIR | --jsonl DIR | --parquet DIR) [--from YYYY-MM-DD[THH]] [--to YYYY-MM-DD[THH]] [--raw]";
const FORMATS = ["csv", "jsonl", "parquet"];
const args = parseArgs(process.argv.slice(2), {
  values: [...FORMATS.map((f) => `--${f}`), "--from", "--to"],
  flags: ["--raw"],
});
const chosen = FORMATS.filter((f) => args.values[`--${f}`] !== undefined);
const [given, ...named] = args.positional;
const { range, error: rangeError } = parseRange(args.values["--from"], args.values["--to"]);
if (!given || chosen.length !== 1 || args.error || rangeError) {
  const why = args.error ?? rangeError ?? (chosen.length > 1 ? "choose one of --csv, --jsonl, --parquet" : undefined);
  console.error(why ? `${why}\n${USAGE}` : USAGE);
  process.exit(2);
}
const format = chosen[0];
const outArg = args.values[`--${format}`];
const outDir = path.resolve(outArg);
const files = storeInputsOrExit(given, range);
const started = performance.now();

/** One CSV or JSON-lines file for a table. */
function lineSink(t) {
  const target = path.join(outDir, `${t.path.replace(/^\//, "")}.${format}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const fd = fs.openSync(target, "w");
  const header = exportColumns(t.columns);
  if (format === "csv") fs.writeSync(fd, csvLine(header) + "\n");
  return {
    target,
    write(rows) {
      const lines = rows.map((r) => {
        const row = exportRow(r, t.columns);
        return format === "csv" ? csvLine(header.map((c) => row[c])) : jsonLine(row);
      });
      if (lines.length > 0) fs.writeSync(fd, lines.join("\n") + "\n");
    },
    close() {
      fs.closeSync(fd);
    },
    describe(n) {
      return `${path.join(outArg, path.relative(outDir, target))} (${n} rows)`;
    },
  };
}

function parquetSink(t) {
  const table = new ParquetTable(outDir, t);
  return {
    write: (rows) => table.write(rows),
    flushBefore: (ms) => table.flushBefore(ms),
    close: () => table.close(),
    describe(n) {
      const where = path.join(outArg, path.relative(outDir, table.dir));
      return `${where} (${n} rows, ${table.files.length} files, ${table.bytes} bytes)`;
    },
  };
}

const only = named.length > 0 ? named.map((n) => (n.startsWith("/") ? n : `/${n}`)) : undefined;
const { tables, problems } = await readStore(files, {
  only,
  range,
  raw: args.flags["--raw"] === true,
  open: (t) => (format === "parquet" ? parquetSink(t) : lineSink(t)),
});
for (const t of tables.values()) {
  t.sink.close();
  console.log(`${t.path} -> ${t.sink.describe(t.rows)}`);
}
for (const p of problems) console.error(`${given}: ${p}`);
if (files.length > 1 || format === "parquet")
  console.log(
    `${files.length} file${files.length === 1 ? "" : "s"} read in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
process.exit(problems.length > 0 ? 1 : 0);
