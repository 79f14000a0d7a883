/**
 * Reads one table of an HDF5 file the pipeline wrote as plain records (integers as numbers,
 * fixed strings as text), through the project's own reader (h5wasm): for specs that check
 * /gaps or /kline rows beside the Python references.
 */
import { withFile } from "@cryptostream/common/hdf5/reader";
import { readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";

export type PlainRow = Record<string, number | string>;

/** Rows of `datasetPath` in file order; [] when the file has no such table. */
export async function readTable(file: string, datasetPath: string): Promise<PlainRow[]> {
  const rows = await withFile(file, (f) => {
    const ds = tableAt(f, datasetPath);
    if (!ds) return [];
    return readTableRows(f, ds, 0, rowCountOf(ds)).map(
      (r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])) as PlainRow,
    );
  });
  return rows ?? [];
}
