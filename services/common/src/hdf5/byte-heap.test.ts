import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "./appender.js";
import { appendToByteHeap, byteHeapLength, ensureByteHeap, readByteHeap, type ByteHeapSpec } from "./byte-heap.js";
import { loadH5 } from "./h5.js";
import { withFile } from "./reader.js";
import type { TableSpec } from "./table-schema.js";

const heap: ByteHeapSpec = { path: "/heap", chunkBytes: 64, gzip: 4, attrs: { encoding: "utf-8" } };
const table: TableSpec = {
  path: "/rows",
  columns: [
    { name: "offset", type: "<i8" },
    { name: "n", type: "<i4" },
  ],
  attrs: {},
  chunkRows: 8,
  gzip: 4,
};

test("bytes appended in separate transactions read back at their offsets", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heap-"));
  const file = path.join(dir, "h.h5");
  const a = new H5Appender(file);
  a.prepare();
  const pieces = [Buffer.from("héllo 🚀"), Buffer.alloc(200, 7), Buffer.from([0, 0, 1, 0])];
  const offsets: number[] = [];
  for (const p of pieces) {
    const offset = [0n];
    await a.append(
      [
        {
          spec: table,
          data: new Map<string, Array<number | bigint>>([
            ["offset", offset],
            ["n", [p.length]],
          ]),
        },
      ],
      (f) => {
        offset[0] = BigInt(appendToByteHeap(f, heap, p));
      },
    );
    offsets.push(Number(offset[0]));
  }
  assert.deepEqual(offsets, [0, pieces[0]!.length, pieces[0]!.length + 200]);
  const got = await withFile(file, (f) => ({
    len: byteHeapLength(f, "/heap"),
    back: pieces.map((p, i) => Buffer.from(readByteHeap(f, "/heap", offsets[i]!, p.length))),
    outside: ((): string => {
      try {
        readByteHeap(f, "/heap", byteHeapLength(f, "/heap") - 1, 2);
        return "read";
      } catch (err) {
        return (err as Error).message;
      }
    })(),
    attr: (f.get("/heap") as unknown as { get_attribute(n: string, j: true): unknown }).get_attribute("encoding", true),
  }));
  assert.ok(got);
  assert.equal(
    got.len,
    pieces.reduce((s, p) => s + p.length, 0),
  );
  assert.deepEqual(got.back, pieces);
  assert.equal(got.attr, "utf-8");
  assert.match(got.outside, /outside the heap/);
});

test("an empty heap exists with length 0, and reads outside it are refused", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heap-"));
  const file = path.join(dir, "h.h5");
  const h5 = await loadH5();
  const f = new h5.File(file, "w");
  ensureByteHeap(f, heap);
  assert.equal(byteHeapLength(f, "/heap"), 0);
  assert.equal(byteHeapLength(f, "/missing"), 0);
  assert.throws(() => readByteHeap(f, "/heap", 0, 1), /outside the heap of 0 bytes/);
  assert.equal(appendToByteHeap(f, heap, new Uint8Array(0)), 0);
  f.close();
});
