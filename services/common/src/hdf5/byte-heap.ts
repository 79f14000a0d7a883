/**
 * An append-only heap of raw bytes in an HDF5 file: a one-dimensional,
 * chunked, gzip-compressed, extendable uint8 dataset. Tables that need to
 * store values longer than a fixed-width column (whole tweet texts) keep an
 * offset into the heap plus the exact byte length; a reader slices
 * `heap[offset:offset + length]`.
 *
 * Writes happen inside an open (copied) file, so callers use it from
 * H5Appender's in-transaction hook: heap bytes and the rows pointing at them
 * land in the same copy+rename.
 */
import type { H5Dataset, H5File } from "./h5.js";
import type { AttrValue } from "./table-schema.js";

export interface ByteHeapSpec {
  readonly path: string;
  /** Chunk size in bytes. */
  readonly chunkBytes: number;
  /** gzip level 1-9. */
  readonly gzip: number;
  /** Written once, when the dataset is created. */
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

/** Opens the heap, creating it empty when missing. */
export function ensureByteHeap(file: H5File, spec: ByteHeapSpec): H5Dataset {
  const existing = file.get(spec.path) as H5Dataset | null;
  if (existing !== null) return existing;
  const ds = file.create_dataset({
    name: spec.path,
    data: new Uint8Array(0),
    shape: [0],
    maxshape: [null],
    chunks: [spec.chunkBytes],
    dtype: "<B",
    compression: "gzip",
    compression_opts: spec.gzip,
  });
  for (const [k, v] of Object.entries(spec.attrs)) ds.create_attribute(k, v);
  return ds;
}

/** Current length of the heap in bytes (0 when it does not exist). */
export function byteHeapLength(file: H5File, path: string): number {
  const ds = file.get(path) as H5Dataset | null;
  return ds === null ? 0 : (ds.shape?.[0] ?? 0);
}

/** Appends bytes (creating the heap if needed); returns the offset where they start. */
export function appendToByteHeap(file: H5File, spec: ByteHeapSpec, bytes: Uint8Array): number {
  const ds = ensureByteHeap(file, spec);
  const start = ds.shape?.[0] ?? 0;
  if (bytes.length === 0) return start;
  ds.resize([start + bytes.length]);
  ds.write_slice([[start, start + bytes.length]], bytes);
  return start;
}

/** Reads `length` bytes at `offset`. */
export function readByteHeap(file: H5File, path: string, offset: number, length: number): Uint8Array {
  const ds = file.get(path) as H5Dataset | null;
  if (ds === null) throw new Error(`${path}: no such byte heap`);
  const size = ds.shape?.[0] ?? 0;
  if (offset < 0 || length < 0 || offset + length > size)
    throw new Error(`${path}: bytes [${offset}, ${offset + length}) are outside the heap of ${size} bytes`);
  if (length === 0) return new Uint8Array(0);
  return Uint8Array.from(ds.slice([[offset, offset + length]]) as ArrayLike<number>);
}
