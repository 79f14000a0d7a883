/**
 * Reads a few members of a compound dataset's rows without decoding the rest.
 *
 * h5wasm's Dataset.slice turns every member of every row into JS values; for
 * twitter.h5's /tweets that means two kilobyte-sized texts per row and made
 * reading 500,000 ids take minutes. Here rows are read raw through h5wasm's
 * low-level module (get_dataset_data, the call slice() makes) and only the
 * requested members are decoded: fixed strings as UTF-8, integers (1, 4 or 8
 * bytes, little-endian) as numbers.
 */
import { Module } from "h5wasm/node";
import type { H5Dataset, H5File } from "./h5.js";

export interface MemberRequest {
  readonly name: string;
  readonly kind: "string" | "int";
}

interface MemberMeta {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** Calls `each` with the requested members of rows [start, end), in order. Call after loadH5(). */
export function readMembers(
  file: H5File,
  ds: H5Dataset,
  members: readonly MemberRequest[],
  start: number,
  end: number,
  each: (values: Array<string | number>) => void,
): void {
  const meta = ds.metadata as unknown as { size: number; compound_type?: { members: MemberMeta[] } };
  const metas = members.map((r) => {
    const m = meta.compound_type?.members.find((x) => x.name === r.name);
    if (!m) throw new Error(`${ds.path} has no member ${r.name}`);
    if (r.kind === "int" && ![1, 4, 8].includes(m.size))
      throw new Error(`${ds.path} member ${r.name} is ${m.size} bytes, not a 1, 4 or 8 byte integer`);
    return { ...m, kind: r.kind };
  });
  const rowSize = meta.size;
  const SLICE = 8_192;
  const decoder = new TextDecoder("utf-8");
  for (let a = start; a < end; a += SLICE) {
    const count = Math.min(end, a + SLICE) - a;
    const nbytes = rowSize * count;
    const ptr = Module._malloc(nbytes);
    if (!ptr) throw new Error(`cannot allocate ${nbytes} bytes in the HDF5 heap`);
    try {
      Module.get_dataset_data(file.file_id, ds.path, [BigInt(count)], [BigInt(a)], [1n], BigInt(ptr));
      const rows = Module.HEAPU8.subarray(ptr, ptr + nbytes);
      const view = new DataView(rows.buffer, rows.byteOffset, rows.byteLength);
      for (let i = 0; i < count; i++) {
        each(
          metas.map((m) => {
            const at = i * rowSize + m.offset;
            if (m.kind === "string") {
              let len = rows.indexOf(0, at) - at;
              if (len < 0 || len > m.size) len = m.size;
              return decoder.decode(rows.subarray(at, at + len));
            }
            if (m.size === 1) return rows[at]!;
            if (m.size === 4) return view.getInt32(at, true);
            return Number(view.getBigInt64(at, true));
          }),
        );
      }
    } finally {
      Module._free(ptr);
    }
  }
}
