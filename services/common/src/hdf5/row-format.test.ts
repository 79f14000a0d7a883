import { test } from "node:test";
import assert from "node:assert/strict";
import { csvLine, exportColumns, exportRow, jsonLine } from "./row-format.js";

test("each time column gets its ISO-8601 UTC twin right after it", () => {
  const cols = ["id", "created_at", "text", "window_start"];
  assert.deepEqual(exportColumns(cols), [
    "id",
    "created_at",
    "created_at_iso",
    "text",
    "window_start",
    "window_start_iso",
  ]);
  const row = exportRow({ id: "7", created_at: 1_796_130_526_896, text: "x", window_start: 0 }, cols);
  assert.equal(row.created_at_iso, "2026-12-01T13:08:46.896Z");
  assert.equal(row.window_start_iso, "1970-01-01T00:00:00.000Z");
  assert.deepEqual(Object.keys(row), exportColumns(cols));
});

test("CSV quotes only fields that need it and doubles quotes; numbers keep every digit", () => {
  assert.equal(
    csvLine(["plain", 'say "hi"', "a,b", "two\nlines", "cr\r", 0.1 + 0.2, 2127751763939831808n]),
    'plain,"say ""hi""","a,b","two\nlines","cr\r",0.30000000000000004,2127751763939831808',
  );
  assert.equal(csvLine(["trailing   ", "nul\u0000inside", NaN]), "trailing   ,nul\u0000inside,");
});

test("JSON lines carry texts exactly, NUL and emoji included", () => {
  const line = jsonLine({ text: "a\u0000b 👨‍👩‍👧", n: 1.5 });
  assert.deepEqual(JSON.parse(line), { text: "a\u0000b 👨‍👩‍👧", n: 1.5 });
  assert.ok(!line.includes("\n"));
});
