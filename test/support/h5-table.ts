/**
 * Reads one table of the pipeline's output as plain records (integers as numbers, fixed
 * strings as text), through the project's own reader (h5wasm): for specs that check /gaps or
 * /kline rows beside the Python references. The output is a store (test/support/store.ts):
 * the rows of every file, concatenated in the store's order (oldest partition first).
 */
import { withFile } from "@cryptostream/common/hdf5/reader";
import { storeFiles } from "./store.js";
import { readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";

export type PlainRow = Record<string, number | string>;

/** Rows of `datasetPath` of every store file of `configured`, in order; [] when no file has such a table. */
export async function readTable(configured: string, datasetPath: string): Promise<PlainRow[]> {
  const out: PlainRow[] = [];
  for (const file of storeFiles(configured)) out.push(...(await readFileTable(file, datasetPath)));
  return out;
}

/** Rows of `datasetPath` in one file, in file order; [] when the file has no such table. */
async function readFileTable(file: string, datasetPath: string): Promise<PlainRow[]> {
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
