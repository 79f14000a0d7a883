// `npm run export -- PATH --parquet OUT`: one table's exported rows as Hive-partitioned Parquet
// (hyparquet-writer, pure JavaScript), readable by pyarrow, pandas, polars and DuckDB as is:
//
//   OUT/<stream>/symbol=<SYMBOL>/date=<YYYY-MM-DD>/part-<k>.parquet   /<stream>/<SYMBOL> tables
//   OUT/<table>/date=<YYYY-MM-DD>/part-<k>.parquet                    /gaps, /tweets, /sentiment, /deletes
//
// date is the UTC day of the row's time (window_start; /kline open_time; /gaps to, as the store
// routes rows to partitions; /deletes deleted_at). Columns are the CSV export's, in its order, typed: int64 columns
// INT64, int32 INT32, uint8 flags UINT_8 (uint8 in Arrow), float64 DOUBLE, fixed strings UTF-8
// strings, and each time column's `_iso` twin a TIMESTAMP(MILLIS, UTC) of the same instant.
// No column is nullable. Output is deterministic: a partition's files are replaced on every run
// (its earlier part-*.parquet removed first), each written to a hidden temporary name and
// renamed into place, so readers never see half a file.
import fs from "node:fs";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { exportColumns, isoColumn, TIME_COLUMNS } from "@cryptostream/common/hdf5/row-format";
import { dateColumn } from "./store-tables.mjs";

const DAY_MS = 86_400_000;
const WRITER = "cryptostream export (hyparquet-writer)";

/** Parquet schema element and value conversion for an h5wasm member code. */
function parquetType(name, code) {
  const required = { name, repetition_type: "REQUIRED" };
  if (code.startsWith("S")) return { el: { ...required, type: "BYTE_ARRAY", converted_type: "UTF8" }, kind: "string" };
  switch (code.replace(/^[<>|=]/, "")) {
    case "q":
    case "i8":
      return { el: { ...required, type: "INT64" }, kind: "int64" };
    case "i":
    case "i4":
      return { el: { ...required, type: "INT32" }, kind: "int32" };
    case "B":
    case "u1":
      return { el: { ...required, type: "INT32", converted_type: "UINT_8" }, kind: "int32" };
    case "d":
    case "f8":
      return { el: { ...required, type: "DOUBLE" }, kind: "double" };
    case "f":
    case "f4":
      return { el: { ...required, type: "FLOAT" }, kind: "float" };
    default:
      throw new Error(`column ${name}: no Parquet type for HDF5 member type ${code}`);
  }
}

const TIMESTAMP = {
  type: "INT64",
  converted_type: "TIMESTAMP_MILLIS",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
};

/** The folder of a table below OUT, with the Hive key for a symbol when its path names one. */
export function tableDir(outDir, tablePath, columns) {
  const parts = tablePath.split("/").filter(Boolean);
  if (parts.length >= 2 && !columns.includes("symbol")) {
    const symbol = parts.pop();
    return path.join(outDir, ...parts, `symbol=${encodeURIComponent(symbol)}`);
  }
  return path.join(outDir, ...parts);
}

export class ParquetTable {
  /**
   * @param {string} outDir
   * @param {{ path: string, columns: string[], types: string[] }} table
   * @param {{ rowsPerFile?: number }} [opts]
   */
  constructor(outDir, table, { rowsPerFile } = {}) {
    if (table.columns.includes("date"))
      throw new Error(`${table.path}: a column named date clashes with the partition key`);
    this.dir = tableDir(outDir, table.path, table.columns);
    this.table = table;
    this.dateColumn = dateColumn(table.columns);
    this.header = exportColumns(table.columns);
    const typeOf = new Map(table.columns.map((c, i) => [c, parquetType(c, table.types[i])]));
    this.fields = this.header.map((c) => {
      const base = typeOf.get(c);
      if (base) return { name: c, src: c, ...base };
      const source = c.slice(0, -"_iso".length);
      if (!TIME_COLUMNS.has(source) || isoColumn(source) !== c) throw new Error(`unexpected column ${c}`);
      return { name: c, src: source, el: { name: c, repetition_type: "REQUIRED", ...TIMESTAMP }, kind: "int64" };
    });
    // Rows with whole texts are large: fewer per file keeps the buffer small.
    this.rowsPerFile = rowsPerFile ?? (table.columns.includes("text") ? 50_000 : 500_000);
    /** date -> rows waiting */
    this.pending = new Map();
    /** partition folder -> next part number (folders cleared in this run) */
    this.parts = new Map();
    this.files = [];
    this.bytes = 0;
  }

  partitionOf(row) {
    const t = this.dateColumn;
    if (!t) return { key: "", dir: this.dir };
    const ms = Number(row[t]);
    const date = Number.isFinite(ms) ? new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10) : "none";
    return { key: date, dir: path.join(this.dir, `date=${date}`) };
  }

  write(rows) {
    for (const row of rows) {
      const { key, dir } = this.partitionOf(row);
      let p = this.pending.get(key);
      if (!p) this.pending.set(key, (p = { dir, rows: [] }));
      p.rows.push(row);
      if (p.rows.length >= this.rowsPerFile) this.flush(key);
    }
  }

  /** Writes out the dates that end at or before `ms` (no later group of files can add to them). */
  flushBefore(ms) {
    for (const key of [...this.pending.keys()]) {
      if (key === "" || key === "none") continue;
      if (Date.parse(`${key}T00:00:00Z`) + DAY_MS <= ms) this.flush(key);
    }
  }

  close() {
    for (const key of [...this.pending.keys()].sort()) this.flush(key);
  }

  flush(key) {
    const p = this.pending.get(key);
    this.pending.delete(key);
    if (!p || p.rows.length === 0) return;
    let k = this.parts.get(p.dir);
    if (k === undefined) {
      // First write to this partition in this run: earlier runs' parts go.
      fs.mkdirSync(p.dir, { recursive: true });
      for (const name of fs.readdirSync(p.dir)) {
        if (/^part-\d+\.parquet$/.test(name)) fs.rmSync(path.join(p.dir, name));
      }
      k = 0;
    }
    this.parts.set(p.dir, k + 1);
    const buf = parquetWriteBuffer({
      columnData: this.fields.map((f) => ({ name: f.name, data: columnValues(p.rows, f), nullable: false })),
      schema: [{ name: "schema", num_children: this.fields.length }, ...this.fields.map((f) => f.el)],
      rowGroupSize: 100_000,
      createdBy: WRITER,
      kvMetadata: [{ key: "cryptostream.table", value: this.table.path }],
    });
    const target = path.join(p.dir, `part-${k}.parquet`);
    const tmp = path.join(p.dir, `.part-${k}.parquet.tmp-${process.pid}`);
    fs.writeFileSync(tmp, new Uint8Array(buf));
    fs.renameSync(tmp, target);
    this.files.push(target);
    this.bytes += buf.byteLength;
  }
}

function columnValues(rows, f) {
  const n = rows.length;
  switch (f.kind) {
    case "int64": {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(Math.trunc(Number(rows[i][f.src])));
      return a;
    }
    case "int32": {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = Number(rows[i][f.src]);
      return a;
    }
    case "double": {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = Number(rows[i][f.src]);
      return a;
    }
    case "float": {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = Number(rows[i][f.src]);
      return a;
    }
    default:
      return rows.map((r) => String(r[f.src]));
  }
}
