import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "./appender.js";
import { loadH5 } from "./h5.js";
import type { ColumnValues } from "./packed-rows.js";
import type { TableSpec } from "./table-schema.js";

const spec: TableSpec = {
  path: "/t",
  columns: [
    { name: "a", type: "<i8" },
    { name: "b", type: "<i4" },
    { name: "c", type: "<f8" },
    { name: "d", type: "|u1" },
    { name: "s", type: "S6" },
  ],
  attrs: {},
  chunkRows: 4,
  gzip: 4,
};

// Cut at the width as h5wasm cuts (bytes, even inside a code point), NUL-padded.
const strings = ["", "abc", "abcdef", "abcdefgh", "aé€x", "ab€€"];
const n = strings.length;

/** The file's raw bytes of every row, as h5wasm's own write path and the packed path leave them. */
async function rawRows(columns: Map<string, ColumnValues>, viaH5wasm: boolean): Promise<unknown[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5-packed-"));
  const file = path.join(dir, "t.h5");
  if (viaH5wasm) {
    const h5 = await loadH5();
    const f = new h5.File(file, "w");
    f.create_dataset({
      name: "t",
      data: columns as Map<string, unknown[]>,
      shape: [n],
      maxshape: [null],
      chunks: [4],
      dtype: [
        ["a", "<q"],
        ["b", "<i"],
        ["c", "<d"],
        ["d", "<B"],
        ["s", "S6"],
      ],
      compression: "gzip",
      compression_opts: 4,
    });
    f.close();
  } else {
    await new H5Appender(file).append([{ spec, data: columns }]);
  }
  const h5 = await loadH5();
  const f = new h5.File(file, "r");
  try {
    return (f.get("t") as InstanceType<typeof h5.Dataset>).slice([[0, n]]) as unknown[];
  } finally {
    f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const plain = () =>
  new Map<string, ColumnValues>([
    ["a", strings.map((_, i) => BigInt(i) - 3n)],
    ["b", strings.map((_, i) => i * 1000 - 2)],
    ["c", strings.map((_, i) => i / 3)],
    ["d", strings.map((_, i) => i * 50)],
    ["s", strings],
  ]);

test("packed rows hold the same bytes as h5wasm's write path, from plain or typed columns", async () => {
  const expected = await rawRows(plain(), true);
  assert.deepEqual(await rawRows(plain(), false), expected);
  const enc = new TextEncoder();
  const typed = new Map<string, ColumnValues>([
    ["a", BigInt64Array.from(strings.map((_, i) => BigInt(i) - 3n))],
    ["b", Int32Array.from(strings.map((_, i) => i * 1000 - 2))],
    ["c", Float64Array.from(strings.map((_, i) => i / 3))],
    ["d", Uint8Array.from(strings.map((_, i) => i * 50))],
    ["s", strings.map((s) => enc.encode(s))],
  ]);
  assert.deepEqual(await rawRows(typed, false), expected);
});
