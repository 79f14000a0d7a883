#!/usr/bin/env node
// `npm run inspect -- FILE.h5 [DATASET] [--rows N] [--json]`: what the pipeline wrote,
// read back with h5wasm (an independent check is h5py; see docs/hdf5-layout.md).
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { printSummary, summarise } from "./lib/summary.mjs";

const args = process.argv.slice(2);
const json = args.includes("--json");
const rowsArg = args.indexOf("--rows");
const nRows = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 5;
const positional = args.filter((a, i) => !a.startsWith("--") && i !== rowsArg + 1);
const [file, dataset] = positional;
if (!file) {
  console.error("usage: npm run inspect -- FILE.h5 [DATASET] [--rows N] [--json]");
  process.exit(2);
}
if (!dataset) {
  const s = await summarise(file);
  if (json) console.log(JSON.stringify(s, null, 2));
  else printSummary(s);
  process.exit(s.exists ? 0 : 1);
}
const out = await withFile(file, (f) => {
  const ds = f.get(dataset);
  if (!ds) throw new Error(`${dataset}: no such dataset`);
  const names = ds.dtype.map(([n]) => n);
  const attrs = Object.fromEntries(Object.keys(ds.attrs).map((k) => [k, ds.get_attribute(k, true)]));
  const cols = readColumns(f, dataset, names);
  const total = ds.shape[0];
  const from = Math.max(0, total - nRows);
  const rows = [];
  for (let r = from; r < total; r++) rows.push(Object.fromEntries(names.map((n) => [n, cols.get(n)[r]])));
  return { dataset, rows: total, attrs, last: rows };
});
if (!out) {
  console.error(`${file}: no such file`);
  process.exit(1);
}
console.log(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? Number(v) : v), 2));
