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
import { AGG_TRADE, TICKER } from "@cryptostream/binance-processor/aggregate/spec";
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
  assert.match(plain.stdout, /\/ticker\/BTCUSDT: \d+ rows, 22 columns/);
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
          gap: 0,
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

test("export merges aggTrade candle rows as klines, with /gaps beside them; inspect lists the candles that differ from Binance's klines", async () => {
  const file = path.join(dir, "candles.h5");
  const spec = marketTableSpec(AGG_TRADE, "BTCUSDT", 60, 5);
  const candle = (start: number, v: Record<string, number>) =>
    Object.fromEntries(
      marketColumns(AGG_TRADE).map((c) => {
        const all: Record<string, number> = {
          window_start: start,
          window_end: start + 60_000,
          complete: 1,
          gap: 0,
          log_partition: -1,
          log_offset_first: -1,
          log_offset_last: -1,
          ...v,
        };
        return [c.name, c.type === "<i8" ? BigInt(all[c.name]!) : all[c.name]!];
      }),
    );
  const traded = (first: number, last: number, o: number, c: number, vol: number) => ({
    count: 2,
    event_time_first: first,
    event_time_last: last,
    open: o,
    high: Math.max(o, c) + 1,
    low: Math.min(o, c) - 1,
    close: c,
    volume: vol,
    quote_volume: vol * o,
    trade_count: 3,
    taker_buy_volume: vol / 2,
    taker_buy_quote_volume: (vol * o) / 2,
    vwap: o,
  });
  const empty = { count: 0, event_time_first: -1, event_time_last: -1, open: NaN, high: NaN, low: NaN, close: NaN };
  const rows = [
    candle(0, { ...traded(10, 20, 100, 101, 2), complete: 0 }), // cut by a stop ...
    candle(0, { ...traded(30, 50, 102, 99, 1), gap: 1 }), // ... and continued after it
    candle(60_000, {
      ...empty,
      volume: 0,
      quote_volume: 0,
      trade_count: 0,
      taker_buy_volume: 0,
      taker_buy_quote_volume: 0,
      vwap: NaN,
      gap: 2,
    }),
  ];
  const data = new Map(marketColumns(AGG_TRADE).map((c) => [c.name, rows.map((r) => r[c.name]!)]));
  const { klineWrites } = await import("@cryptostream/binance-processor/klines/kline-table");
  const { gapWrite } = await import("@cryptostream/binance-processor/gaps/gap-table");
  const k = (t: number, n: number, v: number) => ({
    kline: {
      symbol: "BTCUSDT",
      interval: "1m",
      openTime: t,
      closeTime: t + 59_999,
      open: 100,
      high: 103,
      low: 98,
      close: 99,
      volume: v,
      quoteVolume: 302,
      tradeCount: n,
      takerBuyVolume: 1.5,
      takerBuyQuoteVolume: 151,
    },
    origin: { partition: -1, first: -1, last: -1 },
  });
  const gap = {
    gap: {
      symbol: "BTCUSDT",
      stream: "btcusdt@aggTrade",
      from: 55_000,
      to: 130_000,
      cause: "drop" as const,
      filled: false,
      missing: -1,
    },
    origin: { partition: -1, first: -1, last: -1 },
  };
  await new H5Appender(file).append([{ spec, data }, gapWrite([gap]), ...klineWrites([k(0, 6, 3), k(60_000, 4, 1)])]);
  const out = path.join(dir, "candles-csv");
  assert.equal(npm("export", "--", file, "--csv", out).status, 0);
  const c = check(["--h5", file, "--dir", out, "--format", "csv"]);
  assert.equal(c.tables["/aggTrade/BTCUSDT"], 2, "the split window is one row");
  assert.equal(c.tables["/gaps"], 1);
  const [header, merged] = fs.readFileSync(path.join(out, "aggTrade/BTCUSDT.csv"), "utf8").split("\n");
  const row = Object.fromEntries(header!.split(",").map((h, i) => [h, merged!.split(",")[i]]));
  assert.deepEqual(
    [row.open, row.close, row.high, row.low, row.volume, row.trade_count, row.gap],
    ["100", "99", "103", "98", "3", "6", "1"],
  );
  const inspect = npm("inspect", "--", file, "--json");
  assert.equal(inspect.status, 0, inspect.stderr);
  const klines = (
    JSON.parse(inspect.stdout) as {
      klines: Array<{ compared: number; differences: Array<{ openTime: number; columns: Array<{ name: string }> }> }>;
    }
  ).klines;
  assert.equal(klines[0]!.compared, 2);
  assert.deepEqual(
    klines[0]!.differences.map((d) => [d.openTime, d.columns.map((x) => x.name)]),
    [
      [
        60_000,
        [
          "open",
          "high",
          "low",
          "close",
          "volume",
          "quote_volume",
          "trade_count",
          "taker_buy_volume",
          "taker_buy_quote_volume",
        ],
      ],
    ],
    "window 0 equals its kline; the empty window 60 s differs from a kline with trades in every column",
  );
});
