/**
 * Packs column data straight into the compound row layout of an existing dataset,
 * in the WebAssembly heap, and writes it with one HDF5 call per table per flush.
 *
 * h5wasm's write_slice does the same through prepare_data: per column a typed
 * array or a padded string buffer (each string UTF-8-encoded, then copied), then
 * a per-row, per-member interleave with a subarray each, then one more copy into
 * the heap. Here every value is written once, at its member's offset, in the
 * layout the file's own metadata describes; what lands in the file is the same
 * bytes: integers and floats little-endian, strings UTF-8 cut at the member's
 * width and NUL-padded.
 */
import * as h5wasmModule from "h5wasm/node";
import type { H5Dataset, H5File } from "./h5.js";

/** One column's values: plain arrays as before, typed arrays, or strings as their UTF-8 bytes. */
export type ColumnValues =
  | ReadonlyArray<number | bigint | string | Uint8Array>
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Uint8Array;

/** What packing needs of h5wasm's member metadata. */
export interface MemberLayout {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly type: number;
  readonly signed?: boolean;
  readonly littleEndian?: boolean;
  readonly vlen?: boolean;
}

interface H5Module {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  H5T_class_t: Record<string, { value: number }>;
  set_dataset_data(
    fileId: bigint,
    path: string,
    count: bigint[],
    offset: bigint[],
    strides: bigint[],
    ptr: bigint,
  ): number;
}

type Kind = "i8" | "i4" | "u1" | "f8" | "S";

/** How each member is packed, or undefined when a member is of a kind this does not pack. */
export function packPlan(members: readonly MemberLayout[], m: H5Module): Kind[] | undefined {
  const T = m.H5T_class_t;
  const kinds: Kind[] = [];
  for (const x of members) {
    if (x.vlen) return undefined;
    if (x.type === T.H5T_STRING!.value) {
      kinds.push("S");
      continue;
    }
    if (x.littleEndian === false) return undefined;
    if (x.type === T.H5T_FLOAT!.value && x.size === 8) kinds.push("f8");
    else if (x.type === T.H5T_INTEGER!.value && x.size === 8 && x.signed) kinds.push("i8");
    else if (x.type === T.H5T_INTEGER!.value && x.size === 4 && x.signed) kinds.push("i4");
    else if (x.type === T.H5T_INTEGER!.value && x.size === 1 && !x.signed) kinds.push("u1");
    else return undefined;
  }
  return kinds;
}

const encoder = new TextEncoder();

function packColumn(
  heap: Uint8Array,
  view: DataView,
  base: number,
  rowSize: number,
  n: number,
  member: MemberLayout,
  kind: Kind,
  col: ColumnValues,
): void {
  let at = base + member.offset;
  const v = col as ArrayLike<unknown>;
  switch (kind) {
    case "f8":
      for (let i = 0; i < n; i++, at += rowSize) view.setFloat64(at, Number(v[i]), true);
      return;
    case "i8":
      for (let i = 0; i < n; i++, at += rowSize) {
        const x = v[i];
        view.setBigInt64(at, typeof x === "bigint" ? x : BigInt(x as number), true);
      }
      return;
    case "i4":
      for (let i = 0; i < n; i++, at += rowSize) view.setInt32(at, v[i] as number, true);
      return;
    case "u1":
      for (let i = 0; i < n; i++, at += rowSize) heap[at] = v[i] as number;
      return;
    case "S": {
      const width = member.size;
      for (let i = 0; i < n; i++, at += rowSize) {
        const x = v[i];
        if (x instanceof Uint8Array) {
          heap.set(x.length <= width ? x : x.subarray(0, width), at);
        } else {
          const s = String(x);
          const { read } = encoder.encodeInto(s, heap.subarray(at, at + width));
          // encodeInto stops before a code point that does not fit whole; h5wasm cuts the bytes at the width.
          if (read < s.length) heap.set(encoder.encode(s).subarray(0, width), at);
        }
      }
      return;
    }
  }
}

/**
 * Writes rows [start, start + n) of `ds` (already resized to hold them) from `columns`,
 * in `members` order. Returns false, having written nothing, when a member is of a kind
 * this does not pack (the caller then uses h5wasm's write_slice).
 */
export function writePackedRows(
  file: H5File,
  ds: H5Dataset,
  rowSize: number,
  members: readonly MemberLayout[],
  columns: ReadonlyMap<string, ColumnValues | undefined>,
  start: number,
  n: number,
): boolean {
  // h5wasm exports its Emscripten module (set once `ready` resolves) as a live binding.
  const m = (h5wasmModule as unknown as { Module: H5Module }).Module;
  const kinds = packPlan(members, m);
  if (!kinds) return false;
  const nbytes = rowSize * n;
  const ptr = m._malloc(nbytes);
  if (ptr === 0) throw new Error(`Memory allocation of ${nbytes} bytes failed`);
  try {
    const heap = m.HEAPU8;
    heap.fill(0, ptr, ptr + nbytes);
    const view = new DataView(heap.buffer, heap.byteOffset, heap.byteLength);
    members.forEach((member, j) =>
      packColumn(heap, view, ptr, rowSize, n, member, kinds[j]!, columns.get(member.name)!),
    );
    const fileId = (file as unknown as { file_id: bigint }).file_id;
    const path = (ds as unknown as { path: string }).path;
    m.set_dataset_data(fileId, path, [BigInt(n)], [BigInt(start)], [1n], BigInt(ptr));
  } finally {
    m._free(ptr);
  }
  return true;
}
