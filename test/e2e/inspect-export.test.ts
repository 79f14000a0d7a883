/**
 * `npm run inspect` and `npm run export` as a user types them (through npm), on files the
 * real processors wrote while running live, stopped and restarted (so windows are split
 * into partial rows), and on a file with the rows a Kafka rebalance leaves (repeats).
 * Debian's h5py, with the merge rule and read-back recipe of docs/hdf5-layout.md written
 * again in Python (test/support/check_export.py), is the reference.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { requirePythonModule, runPython } from "../support/python.js";
import { ROOT, sleep, waitFor } from "../support/service-process.js";
import { startLivePipeline } from "../support/live-pipeline.js";
import { AWKWARD_TEXTS } from "../support/twitter-e2e.js";

let dir: string;
let binanceH5: string;
let twitterH5: string;

function npm(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "--silent", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(args: string[], stdin?: string): { tables: Record<string, number>; merged_windows: number } {
  const r = runPython([path.join(ROOT, "test/support/check_export.py"), ...args], stdin);
  const out = JSON.parse(r.stdout || "{}") as {
    tables: Record<string, number>;
    merged_windows: number;
    problems: string[];
  };
  assert.deepEqual(out.problems, [], r.stderr);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-inspect-"));
  const p = await startLivePipeline(dir, { windowSeconds: 2 });
  try {
    binanceH5 = p.binanceH5;
    twitterH5 = p.twitterH5;
    const written = (name: "binance-processor" | "twitter-processor", n: number) =>
      waitFor(
        `${name} to write ${n} rows`,
        async () => (await p.service(name).metric("pipeline_messages_out_total")) >= n || undefined,
        40_000,
      );
    await written("binance-processor", 9);
    await written("twitter-processor", 20);
    // A graceful stop writes the open windows as partial rows; the restart continues them.
    assert.equal(await p.stop("binance-processor"), 0);
    assert.equal(await p.stop("twitter-processor"), 0);
    await sleep(700);
    await p.restart("binance-processor");
    await p.restart("twitter-processor");
    await written("binance-processor", 9);
    await sleep(2_500);
    const codes = await p.stopAll();
    assert.deepEqual(Object.values(codes), [0, 0, 0, 0], JSON.stringify(codes));
  } finally {
    await p.stopAll().catch(() => undefined);
  }
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("inspect FILE lists every dataset with the rows h5py sees (the README's own example)", () => {
  const r = npm("inspect", "--", binanceH5);
  assert.equal(r.status, 0, r.stderr);
  const counts = check(
    ["--h5", binanceH5, "--inspect", "0", "--dataset", "/ticker/BTCUSDT"],
    inspectJson("/ticker/BTCUSDT", 0),
  );
  assert.match(
    r.stdout,
    new RegExp(`/ticker/BTCUSDT\\s+${counts.tables["/ticker/BTCUSDT"]} rows  window_start \\d{4}-`),
  );
  assert.match(r.stdout, /\/ticker\/ETHUSDT/);
  assert.doesNotMatch(r.stdout, /usage:|not written/);
});

function inspectJson(dataset: string, rows: number, file = binanceH5): string {
  const r = npm("inspect", "--", file, dataset, "--rows", String(rows), "--json");
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("inspect FILE DATASET works with and without the leading slash, and its rows are h5py's", () => {
  const withSlash = inspectJson("/ticker/BTCUSDT", 3);
  assert.equal(inspectJson("ticker/BTCUSDT", 3), withSlash);
  check(["--h5", binanceH5, "--inspect", "3", "--dataset", "/ticker/BTCUSDT"], withSlash);
  // Texts come back whole, the overflow heap included.
  check(["--h5", twitterH5, "--inspect", "40", "--dataset", "/tweets"], inspectJson("tweets", 40, twitterH5));
  const plain = npm("inspect", "--", binanceH5, "ticker/BTCUSDT", "--rows", "1");
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /\/ticker\/BTCUSDT: \d+ rows, 21 columns/);
  assert.match(plain.stdout, /window_start_iso\s+"\d{4}-\d\d-\d\dT/);
});

test("inspect and export name a missing dataset, a missing file and a file that is not HDF5", () => {
  const r = npm("inspect", "--", binanceH5, "ticker/NOPEUSDT");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no such dataset ticker\/NOPEUSDT/);
  const f = npm("inspect", "--", path.join(dir, "absent.h5"), "/tweets");
  assert.equal(f.status, 1);
  assert.match(f.stderr, /no such file/);
  assert.match(npm("inspect").stderr, /^usage: npm run inspect -- FILE/);
  const bad = path.join(dir, "not-hdf5.h5");
  fs.writeFileSync(bad, "this is not HDF5\n");
  for (const r of [
    npm("inspect", "--", bad),
    npm("inspect", "--", bad, "/tweets"),
    npm("export", "--", bad, "--csv", dir),
  ]) {
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not-hdf5\.h5: not an HDF5 file/);
  }
});

test("export --csv merges the windows the restart split, exactly as the documented rule does", () => {
  const out = path.join(dir, "csv");
  const r = npm("export", "--", binanceH5, "--csv", out);
  assert.equal(r.status, 0, r.stderr);
  const c = check(["--h5", binanceH5, "--dir", out, "--format", "csv"]);
  assert.deepEqual(Object.keys(c.tables).sort(), ["/ticker/BTCUSDT", "/ticker/ETHUSDT", "/ticker/SOLUSDT"]);
  assert.ok(c.merged_windows >= 1, `the restart split at least one window into partial rows (${c.merged_windows})`);
  const header = fs.readFileSync(path.join(out, "ticker/BTCUSDT.csv"), "utf8").split("\n")[0];
  assert.match(header!, /^window_start,window_start_iso,window_end,window_end_iso,count,/);
  // --raw: every row as written.
  const raw = path.join(dir, "raw");
  assert.equal(npm("export", "--", binanceH5, "ticker/BTCUSDT", "--csv", raw, "--raw").status, 0);
  check(["--h5", binanceH5, "--dir", raw, "--format", "csv", "--raw", "--dataset", "/ticker/BTCUSDT"]);
  assert.ok(!fs.existsSync(path.join(raw, "ticker/ETHUSDT.csv")), "only the named dataset");
});

test("export --jsonl writes tweets with their whole texts (overflow heap, NUL, emoji) and merged sentiment", () => {
  const out = path.join(dir, "jsonl");
  const r = npm("export", "--", twitterH5, "--jsonl", out);
  assert.equal(r.status, 0, r.stderr);
  const c = check(["--h5", twitterH5, "--dir", out, "--format", "jsonl"]);
  assert.deepEqual(Object.keys(c.tables).sort(), ["/sentiment", "/tweets"]);
  const tweets = fs
    .readFileSync(path.join(out, "tweets.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { text: string; text_heap_offset: number; created_at_iso: string });
  const texts = new Set(tweets.map((t) => t.text));
  for (const a of AWKWARD_TEXTS)
    assert.ok(texts.has(a.text), `exported exactly: ${JSON.stringify(a.text.slice(0, 40))}`);
  assert.ok(tweets.filter((t) => t.text_heap_offset >= 0).length >= 3, "some texts came from the heap");
  // CSV of one named table, no leading slash.
  const csv = path.join(dir, "csv-sentiment");
  assert.equal(npm("export", "--", twitterH5, "sentiment", "--csv", csv).status, 0);
  check(["--h5", twitterH5, "--dir", csv, "--format", "csv", "--dataset", "/sentiment"]);
  const bad = npm("export", "--", twitterH5, "nope", "--csv", csv);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no such dataset nope/);
  assert.match(npm("export", "--", twitterH5).stderr, /^usage: npm run export/);
});

test("export skips the repeats a Kafka rebalance leaves (a log range inside another of the same window and partition)", async () => {
  const file = path.join(dir, "replica.h5");
  const spec = marketTableSpec(TICKER, "BTCUSDT", 60, 5);
  const row = (start: number, count: number, part: number, first: number, last: number, complete: number) =>
    Object.fromEntries(
      marketColumns(TICKER).map((c) => {
        const v: Record<string, number> = {
          window_start: start,
          window_end: start + 60_000,
          count,
          event_time_first: start + first,
          event_time_last: start + last,
          complete,
          log_partition: part,
          log_offset_first: first,
          log_offset_last: last,
        };
        const x = v[c.name] ?? (c.name.endsWith("_sum") ? count * 100.5 : 100 + first / 1000);
        return [c.name, c.type === "<i8" ? BigInt(x) : x];
      }),
    );
  const rows = [
    row(0, 9, 0, 100, 180, 0), // a replica's partial row at the rebalance
    row(0, 4, 0, 120, 150, 1), // the next owner counted some of the same events again: a repeat
    row(0, 5, 1, 300, 340, 1), // another partition's events of the same window
    row(60_000, 3, 0, 200, 210, 1),
  ];
  const data = new Map(marketColumns(TICKER).map((c) => [c.name, rows.map((r) => r[c.name]!)]));
  await new H5Appender(file).append([{ spec, data }]);
  const out = path.join(dir, "replica-csv");
  assert.equal(npm("export", "--", file, "--csv", out).status, 0);
  const c = check(["--h5", file, "--dir", out, "--format", "csv"]);
  assert.equal(c.tables["/ticker/BTCUSDT"], 2);
  const first = fs.readFileSync(path.join(out, "ticker/BTCUSDT.csv"), "utf8").split("\n")[1]!.split(",");
  assert.equal(first[4], "14", "9 + 5 events: the repeat's 4 are not counted twice");
});
