import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "./appender.js";
import { datasetPaths, readColumns, withFile } from "./reader.js";
import type { TableSpec } from "./table-schema.js";

const spec: TableSpec = {
  path: "/ticker/BTCUSDT",
  columns: [
    { name: "window_start", type: "<i8" },
    { name: "flag", type: "|u1" },
    { name: "price", type: "<f8" },
    { name: "label", type: "S12" },
  ],
  attrs: { window_seconds: 60, source: "test" },
  chunkRows: 16,
  gzip: 4,
};

const rows = (starts: number[]) =>
  new Map<string, Array<number | bigint | string>>([
    ["window_start", starts.map((s) => BigInt(s))],
    ["flag", starts.map((s) => s % 2)],
    ["price", starts.map((s) => s + 0.25)],
    ["label", starts.map((s) => `w${s}é`)],
  ]);

test("rows append across separate opens and read back in order, with no temporary file left", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5-"));
  const file = path.join(dir, "sub", "out.h5");
  const a = new H5Appender(file);
  a.prepare();
  await a.append([{ spec, data: rows([1, 2, 3]) }]);
  await a.append([{ spec, data: rows([]) }]); // nothing to write: file untouched
  await new H5Appender(file).append([
    { spec, data: rows([4, 5]) },
    { spec: { ...spec, path: "/ticker/ETHUSDT" }, data: rows([9]) },
  ]);
  const got = await withFile(file, (f) => ({
    paths: datasetPaths(f),
    cols: readColumns(f, "/ticker/BTCUSDT", ["window_start", "flag", "price", "label"]),
    windowSeconds: (
      f.get("/ticker/BTCUSDT") as unknown as { get_attribute(n: string, j: true): unknown }
    ).get_attribute("window_seconds", true),
  }));
  assert.ok(got);
  assert.deepEqual(got.paths.sort(), ["/ticker/BTCUSDT", "/ticker/ETHUSDT"]);
  assert.deepEqual(got.cols.get("window_start")!.map(Number), [1, 2, 3, 4, 5]);
  assert.deepEqual(got.cols.get("flag"), [1, 0, 1, 0, 1]);
  assert.deepEqual(got.cols.get("price"), [1.25, 2.25, 3.25, 4.25, 5.25]);
  assert.deepEqual(got.cols.get("label"), ["w1é", "w2é", "w3é", "w4é", "w5é"]);
  assert.equal(got.windowSeconds, 60);
  assert.deepEqual(fs.readdirSync(path.join(dir, "sub")), ["out.h5"]);
});

test("a failed write leaves the previous file intact", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5-"));
  const file = path.join(dir, "out.h5");
  const a = new H5Appender(file);
  a.prepare();
  await a.append([{ spec, data: rows([1]) }]);
  const before = fs.readFileSync(file);
  const bad = new Map(rows([2]));
  bad.delete("price");
  await assert.rejects(a.append([{ spec, data: bad }]), /no values for column price/);
  assert.deepEqual(fs.readFileSync(file), before);
  assert.deepEqual(fs.readdirSync(dir), ["out.h5"]);
});

test("prepare removes copies left by a crashed writer", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5-"));
  fs.writeFileSync(path.join(dir, "out.h5.tmp-12345"), "junk");
  new H5Appender(path.join(dir, "out.h5")).prepare();
  assert.deepEqual(fs.readdirSync(dir), []);
});

test("metadata kept between flushes matches the file; a failed flush or a removed file is read afresh", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5-"));
  const file = path.join(dir, "out.h5");
  const a = new H5Appender(file);
  a.prepare();
  await a.append([{ spec, data: rows([1, 2]) }]);
  await a.append([{ spec, data: rows([3]) }]);
  await a.append([{ spec, data: rows([4, 5, 6]) }]);
  const kept = (a as unknown as { known: Map<string, unknown> }).known.get(spec.path);
  const fresh = await withFile(file, (f) => (f.get(spec.path) as unknown as { metadata: unknown }).metadata);
  assert.deepEqual(kept, fresh);
  assert.deepEqual((fresh as { shape: number[] }).shape, [6]);

  // The first table grows in the copy, then the second fails: nothing of it may count.
  const bad = new Map(rows([99]));
  bad.delete("price");
  await assert.rejects(
    a.append([
      { spec, data: rows([7]) },
      { spec: { ...spec, path: "/ticker/ETHUSDT" }, data: bad },
    ]),
  );
  await a.append([{ spec, data: rows([8]) }]);
  const after = await withFile(file, (f) =>
    readColumns(f, spec.path, ["window_start"]).get("window_start")!.map(Number),
  );
  assert.deepEqual(after, [1, 2, 3, 4, 5, 6, 8]);

  // Someone removes the file: the next flush starts a new one.
  fs.rmSync(file);
  await a.append([{ spec, data: rows([10]) }]);
  const restarted = await withFile(file, (f) =>
    readColumns(f, spec.path, ["window_start"]).get("window_start")!.map(Number),
  );
  assert.deepEqual(restarted, [10]);
});
