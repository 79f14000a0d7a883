/**
 * Schema of an appendable HDF5 table: a one-dimensional, chunked,
 * gzip-compressed dataset of a compound type, extended row by row.
 *
 * Column types use numpy-style codes, which h5py maps straight to numpy:
 * "<i8" int64, "<i4" int32, "<f8" float64, "|u1" uint8, "S<n>" fixed-length
 * UTF-8 bytes of at most n bytes (h5py returns bytes; decode as UTF-8).
 */

import type { ColumnValues } from "./packed-rows.js";

export type ColumnType = "<i8" | "<i4" | "<f8" | "|u1" | `S${number}`;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

export type AttrValue = string | number;

export interface TableSpec {
  /** Dataset path inside the file, e.g. "/ticker/BTCUSDT". */
  readonly path: string;
  readonly columns: readonly ColumnSpec[];
  /** Written once, when the dataset is created. */
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly chunkRows: number;
  /** gzip level 1-9. */
  readonly gzip: number;
}

/**
 * Rows to append, column-wise: every column has the same length. Numbers may come as
 * typed arrays, strings as their UTF-8 bytes (hdf5/packed-rows.ts).
 */
export type ColumnData = ReadonlyMap<string, ColumnValues>;

/**
 * h5wasm's compound dtype form for a schema. h5wasm reads Python struct
 * codes, not numpy's: "<i8" would silently mean int32 and "<f8" float32.
 */
const STRUCT_CODES: Record<string, string> = { "<i8": "<q", "<i4": "<i", "<f8": "<d", "|u1": "<B" };

export function h5Dtype(columns: readonly ColumnSpec[]): Array<[string, string]> {
  return columns.map((c) => [c.name, STRUCT_CODES[c.type] ?? c.type]);
}

/** Bytes of one row of the table's compound type, uncompressed. */
export function rowBytes(spec: TableSpec): number {
  let n = 0;
  for (const c of spec.columns)
    n += c.type.startsWith("S") ? Number(c.type.slice(1)) : c.type === "|u1" ? 1 : c.type === "<i4" ? 4 : 8;
  return n;
}

export function rowCount(data: ColumnData): number {
  let n: number | undefined;
  for (const [name, col] of data) {
    if (n === undefined) n = col.length;
    else if (col.length !== n) throw new Error(`column ${name} has ${col.length} values, expected ${n}`);
  }
  return n ?? 0;
}
