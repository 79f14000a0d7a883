// Unit spec of the scripts' argument parser (run by scripts/test.mjs --unit).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs } from "./args.mjs";

const spec = { values: ["--rows", "--csv"], flags: ["--json"] };

test("a file alone is a positional (the bug of issue 12: it was dropped without --rows)", () => {
  assert.deepEqual(parseArgs(["data/binance.h5"], spec).positional, ["data/binance.h5"]);
});

test("options and positionals mix in any order", () => {
  const r = parseArgs(["--rows", "3", "f.h5", "--json", "ticker/BTCUSDT"], spec);
  assert.deepEqual(r.positional, ["f.h5", "ticker/BTCUSDT"]);
  assert.deepEqual(r.values, { "--rows": "3" });
  assert.deepEqual(r.flags, { "--json": true });
  assert.equal(r.error, undefined);
});

test("a missing value and an unknown option are errors", () => {
  assert.match(parseArgs(["f.h5", "--rows"], spec).error, /--rows needs a value/);
  assert.match(parseArgs(["f.h5", "--csv", "--json"], spec).error, /--csv needs a value/);
  assert.match(parseArgs(["f.h5", "--colour"], spec).error, /unknown option --colour/);
});
