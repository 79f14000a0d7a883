// Unit spec of which store files inspect and export read (run by scripts/test.mjs --unit).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseRange, storeInputs } from "./store-files.mjs";

test("--from/--to take a UTC day or hour, both inclusive; anything else is an error", () => {
  const { range } = parseRange("2026-12-07", "2026-12-08T05");
  assert.equal(range.start, Date.parse("2026-12-07T00:00:00Z"));
  assert.equal(range.end, Date.parse("2026-12-08T06:00:00Z"));
  assert.deepEqual(parseRange(undefined, undefined), {});
  assert.match(parseRange("2026-12-32", undefined).error, /--from 2026-12-32: expected/);
  assert.match(parseRange("2026-12-08", "2026-12-07").error, /lies after/);
});

test("a range keeps the partitions it overlaps, the file without a period, and the next period for late rows", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "store-files-"));
  try {
    for (const n of [
      "before-partitions.h5",
      "2026-12-06.h5",
      "2026-12-07.h5",
      "2026-12-07.r2.h5",
      "2026-12-08T00.h5",
      "2026-12-09.h5",
      "2026-12-07.h5.old-schema-x",
    ])
      fs.writeFileSync(path.join(dir, n), "");
    const names = (r) => r.files.map((f) => `${f.name}${f.lateRowsOnly ? " (late rows)" : ""}`);
    assert.deepEqual(names(storeInputs(dir)), [
      "before-partitions.h5",
      "2026-12-06.h5",
      "2026-12-07.h5",
      "2026-12-07.r2.h5",
      "2026-12-08T00.h5",
      "2026-12-09.h5",
    ]);
    const { range } = parseRange("2026-12-07", "2026-12-07");
    assert.deepEqual(names(storeInputs(dir, range)), [
      "before-partitions.h5",
      "2026-12-07.h5",
      "2026-12-07.r2.h5",
      "2026-12-08T00.h5 (late rows)",
    ]);
    assert.deepEqual(
      names(storeInputs(`${dir}.h5`, range)),
      names(storeInputs(dir, range)),
      "the setting x.h5 names the folder x",
    );
    assert.match(storeInputs(path.join(dir, "nope")).error, /nope: no such file or store folder/);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
