/**
 * Reads one fixed-length string member (the tweet id) of a compound dataset
 * without decoding the rest of each row.
 *
 * h5wasm's Dataset.slice turns every member of every row into JS values; for
 * /tweets that means two kilobyte-sized texts per row and made reading 500,000
 * ids take minutes. Here the rows are read raw through h5wasm's exported
 * low-level module (get_dataset_data, the same call slice() makes) and only
 * the id bytes are decoded.
 */
import { Module } from "h5wasm/node";
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";

interface MemberMeta {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** Calls `each` with the member's text for rows [start, end), in order. Call after loadH5(). */
export function readStringMember(
  file: H5File,
  ds: H5Dataset,
  member: string,
  start: number,
  end: number,
  each: (value: string) => void,
): void {
  const meta = ds.metadata as unknown as { size: number; compound_type?: { members: MemberMeta[] } };
  const m = meta.compound_type?.members.find((x) => x.name === member);
  if (!m) throw new Error(`${ds.path} has no member ${member}`);
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
      for (let i = 0; i < count; i++) {
        const at = i * rowSize + m.offset;
        let len = rows.indexOf(0, at) - at;
        if (len < 0 || len > m.size) len = m.size;
        each(decoder.decode(rows.subarray(at, at + len)));
      }
    } finally {
      Module._free(ptr);
    }
  }
}
