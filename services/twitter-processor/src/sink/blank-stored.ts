/**
 * Applies a delete to a post already in the file: inside the write's
 * transaction (the open copy of the file), its /tweets row is rewritten with
 * empty texts and deleted_at set, and the bytes its texts had in /text_heap
 * are zeroed. h5wasm's write_slice rewrites one element of a compound dataset
 * in place (the appender's copy-append-rename makes it atomic with the rest).
 */
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";
import { readMembers } from "@cryptostream/common/hdf5/read-members";
import { TEXT_HEAP_PATH, TWEETS_PATH } from "./tweet-table.js";

/** The index of `id` in /tweets: `hint` when the row there holds it, else a scan (the hint is missing or stale). */
function findRow(file: H5File, ds: H5Dataset, id: string, hint: number | undefined): number | undefined {
  const n = ds.shape?.[0] ?? 0;
  const idAt = (i: number): string | undefined => {
    let found: string | undefined;
    readMembers(file, ds, [{ name: "id", kind: "string" }], i, i + 1, ([v]) => (found = v as string));
    return found;
  };
  if (hint !== undefined && hint >= 0 && hint < n && idAt(hint) === id) return hint;
  let at = -1;
  let i = 0;
  readMembers(file, ds, [{ name: "id", kind: "string" }], 0, n, ([v]) => {
    if (at < 0 && v === id) at = i;
    i++;
  });
  return at >= 0 ? at : undefined;
}

/** The texts' columns and what a deleted post's row holds in them. */
const BLANK: Record<string, unknown> = {
  text: "",
  text_bytes: 0,
  text_heap_offset: -1n,
  cleaned_text: "",
  cleaned_bytes: 0,
  cleaned_heap_offset: -1n,
  token_count: 0,
};

/** Zeroes `length` heap bytes at `offset` (the overflow of a deleted text). */
function zeroHeap(file: H5File, offset: number, length: number): void {
  if (offset < 0 || length <= 0) return;
  const heap = file.get(TEXT_HEAP_PATH) as H5Dataset | null;
  if (heap === null || offset + length > (heap.shape?.[0] ?? 0)) return;
  heap.write_slice([[offset, offset + length]], new Uint8Array(length));
}

/** Blanks the row of post `id`; false when /tweets does not hold it (a file set aside since). */
export function blankStoredPost(file: H5File, id: string, rowHint: number | undefined, deletedAt: number): boolean {
  const ds = file.get(TWEETS_PATH) as H5Dataset | null;
  if (ds === null) return false;
  const row = findRow(file, ds, id, rowHint);
  if (row === undefined) return false;
  const names = (ds.dtype as Array<[string, string]>).map(([name]) => name);
  const values = (ds.slice([[row, row + 1]]) as unknown[][])[0]!;
  const at = (name: string): unknown => values[names.indexOf(name)];
  zeroHeap(file, Number(at("text_heap_offset")), Number(at("text_bytes")));
  zeroHeap(file, Number(at("cleaned_heap_offset")), Number(at("cleaned_bytes")));
  const columns = new Map<string, unknown[]>(
    names.map((name, i) => [
      name,
      [name === "deleted_at" ? BigInt(deletedAt) : name in BLANK ? BLANK[name] : values[i]],
    ]),
  );
  ds.write_slice([[row, row + 1]], columns as never);
  return true;
}
