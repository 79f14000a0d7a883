/**
 * `npm run inspect` and `npm run export` as a user types them (through npm), on files the
 * real processors wrote while running live, stopped and restarted (so windows are split
 * into partial rows), on a file with the rows a Kafka rebalance leaves (repeats), and on
 * store folders of partition files: the single file moved in as before-partitions.h5 (the
 * upgrade), today's partition the restarted processors wrote after it (windows split across
 * the two files), an earlier day's partition. Debian's h5py, with the merge rule and
 * read-back recipe of docs/hdf5-layout.md written again in Python
 * (test/support/check_export.py), is the reference.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { storeDirOf } from "@cryptostream/common/store/layout";
import { AGG_TRADE, TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { requirePythonModule, runPython } from "../support/python.js";
import { ROOT, sleep, waitFor } from "../support/service-process.js";
import { startLivePipeline } from "../support/live-pipeline.js";
import { addAwkwardTweets, AWKWARD_TEXTS } from "../support/twitter-e2e.js";

let dir: string;
let binanceH5: string;
let twitterH5: string;
/** Store folders: before-partitions.h5 (moved in on upgrade), <today>.h5, and for binance <yesterday>.h5. */
let binanceStore: string;
let twitterStore: string;
let today: string;
let yesterday: string;

/** Texts the restarted twitter-processor writes into today's partition, two of them into its own /text_heap. */
const SECOND_TEXTS = [
  { text: "bitcoin in the second file " + "🌕 past the field width, ".repeat(60) },
  { text: "bitcoin second file with a NUL\u0000 inside" },
  { text: "bitcoin second file, short and plain" },
];

/** A /ticker row as the binance-processor writes it (values derived from the arguments). */
function tickerRow(start: number, count: number, part: number, first: number, last: number, complete: number) {
  return Object.fromEntries(
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
}

async function writeTicker(file: string, symbol: string, rows: Array<Record<string, number | bigint>>) {
  const spec = marketTableSpec(TICKER, symbol, 60, 5);
  const data = new Map(marketColumns(TICKER).map((c) => [c.name, rows.map((r) => r[c.name]!)]));
  await new H5Appender(file).append([{ spec, data }]);
}

function npm(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "--silent", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface CheckReport {
  tables: Record<string, number>;
  merged_windows: number;
  cross_file_windows: number;
}

function check(args: string[], stdin?: string): CheckReport {
  const r = runPython([path.join(ROOT, "test/support/check_export.py"), ...args], stdin);
  const out = JSON.parse(r.stdout || "{}") as CheckReport & { problems: string[] };
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
    // The processors write store folders (their setting dir/binance.h5 names dir/binance); so
    // far every row is today's, in one partition, which the single-file specs read as a file.
    assert.equal(await p.stop("binance-processor"), 0);
    assert.equal(await p.stop("twitter-processor"), 0);
    binanceStore = storeDirOf(p.binanceH5);
    twitterStore = storeDirOf(p.twitterH5);
    const partitions = (store: string) => fs.readdirSync(store).filter((n) => n.endsWith(".h5"));
    assert.equal(partitions(binanceStore).length, 1, `one partition so far: ${partitions(binanceStore).join(", ")}`);
    today = partitions(binanceStore)[0]!.slice(0, -".h5".length);
    yesterday = new Date(Date.parse(today) - 86_400_000).toISOString().slice(0, 10);
    binanceH5 = path.join(dir, "single", "binance.h5");
    twitterH5 = path.join(dir, "single", "twitter.h5");
    fs.mkdirSync(path.dirname(binanceH5));
    fs.copyFileSync(path.join(binanceStore, `${today}.h5`), binanceH5);
    fs.copyFileSync(path.join(twitterStore, `${today}.h5`), twitterH5);
    // The upgrade: a single file of the earlier layout at the configured path (this one) is
    // moved into the folder as before-partitions.h5 when the processors start; they then write
    // today's partition anew, continuing the windows the stop cut.
    fs.renameSync(path.join(binanceStore, `${today}.h5`), p.binanceH5);
    fs.renameSync(path.join(twitterStore, `${today}.h5`), p.twitterH5);
    addAwkwardTweets(p.twitterSim, SECOND_TEXTS);
    await p.restart("binance-processor");
    await p.restart("twitter-processor");
    await written("binance-processor", 6);
    await written("twitter-processor", SECOND_TEXTS.length);
    await sleep(2_500);
    const codes = await p.stopAll();
    assert.deepEqual(Object.values(codes), [0, 0, 0, 0], JSON.stringify(codes));
    for (const store of [binanceStore, twitterStore])
      assert.deepEqual(partitions(store).sort(), [`${today}.h5`, "before-partitions.h5"].sort(), store);
    // An earlier day's partition: two windows of BTCUSDT at noon.
    const noon = Date.parse(`${yesterday}T12:00:00Z`);
    await writeTicker(path.join(binanceStore, `${yesterday}.h5`), "BTCUSDT", [
      tickerRow(noon, 7, -1, 100, 900, 1),
      tickerRow(noon + 60_000, 3, -1, 200, 400, 1),
    ]);
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
  assert.match(npm("inspect").stderr, /^usage: npm run inspect -- PATH/);
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
  await writeTicker(file, "BTCUSDT", [
    tickerRow(0, 9, 0, 100, 180, 0), // a replica's partial row at the rebalance
    tickerRow(0, 4, 0, 120, 150, 1), // the next owner counted some of the same events again: a repeat
    tickerRow(0, 5, 1, 300, 340, 1), // another partition's events of the same window
    tickerRow(60_000, 3, 0, 200, 210, 1),
  ]);
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

test("export of a store folder (the moved single file, today's and yesterday's partitions) is h5py's rows of every file, merged across files", () => {
  const out = path.join(dir, "store-csv");
  const r = npm("export", "--", binanceStore, "--csv", out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 files read in/);
  const c = check(["--h5", binanceStore, "--dir", out, "--format", "csv"]);
  assert.deepEqual(Object.keys(c.tables).sort(), ["/ticker/BTCUSDT", "/ticker/ETHUSDT", "/ticker/SOLUSDT"]);
  assert.ok(
    c.cross_file_windows >= 1,
    `the stop at the upgrade split a window between before-partitions.h5 and today's file (${c.cross_file_windows})`,
  );
  const btc = fs.readFileSync(path.join(out, "ticker/BTCUSDT.csv"), "utf8").trim().split("\n");
  assert.ok(btc[1]!.startsWith(`${Date.parse(`${yesterday}T12:00:00Z`)},${yesterday}T12:00:00.000Z,`), btc[1]);
  // The setting binance.h5 (no such file any more) names the folder binance.
  const legacySetting = path.join(dir, "store-csv-setting");
  assert.equal(npm("export", "--", `${binanceStore}.h5`, "--csv", legacySetting).status, 0);
  for (const t of ["ticker/BTCUSDT.csv", "ticker/ETHUSDT.csv", "ticker/SOLUSDT.csv"])
    assert.equal(fs.readFileSync(path.join(legacySetting, t), "utf8"), fs.readFileSync(path.join(out, t), "utf8"));
  // inspect: every file listed, rows counted over all of them, the last rows are the newest file's.
  const s = npm("inspect", "--", binanceStore);
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, new RegExp(`3 files, \\d+ bytes[\\s\\S]*before-partitions\\.h5[\\s\\S]*${yesterday}\\.h5`));
  const counts = check(
    ["--h5", binanceStore, "--inspect", "4", "--dataset", "/ticker/BTCUSDT"],
    inspectJson("/ticker/BTCUSDT", 4, binanceStore),
  );
  assert.match(
    s.stdout,
    new RegExp(`/ticker/BTCUSDT\\s+${counts.tables["/ticker/BTCUSDT"]} rows  window_start ${yesterday}T12:00:00.000Z`),
  );
});

test("export --from/--to open only the partitions of the range and keep the rows in it", () => {
  // A file in the folder that is not HDF5: any reader that opens it fails.
  const trap = path.join(binanceStore, "2020-01-01.h5");
  fs.writeFileSync(trap, "not HDF5: a range after 2020-01-01 must not open me\n");
  try {
    const all = npm("export", "--", binanceStore, "--csv", path.join(dir, "trap"));
    assert.equal(all.status, 1);
    assert.match(all.stderr, /2020-01-01\.h5: not an HDF5 file/);
    const out = path.join(dir, "range-today");
    const r = npm("export", "--", binanceStore, "--csv", out, "--from", today);
    assert.equal(r.status, 0, r.stderr);
    const c = check(["--h5", binanceStore, "--dir", out, "--format", "csv", "--from", today]);
    assert.ok(c.tables["/ticker/BTCUSDT"]! > 0);
    assert.doesNotMatch(fs.readFileSync(path.join(out, "ticker/BTCUSDT.csv"), "utf8"), new RegExp(yesterday));
    // Only yesterday: its two rows (before-partitions.h5 has none of that day).
    const y = path.join(dir, "range-yesterday");
    const ry = npm("export", "--", binanceStore, "ticker/BTCUSDT", "--csv", y, "--from", yesterday, "--to", yesterday);
    assert.equal(ry.status, 0, ry.stderr);
    check([
      "--h5",
      binanceStore,
      "--dir",
      y,
      "--format",
      "csv",
      "--from",
      yesterday,
      "--to",
      yesterday,
      "--dataset",
      "/ticker/BTCUSDT",
    ]);
    const lines = fs.readFileSync(path.join(y, "ticker/BTCUSDT.csv"), "utf8").trim().split("\n");
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(",")[4]),
      ["7", "3"],
    );
    // An hour: the day file is read, only that hour's rows are kept.
    const h = path.join(dir, "range-hour");
    assert.equal(
      npm("export", "--", binanceStore, "--csv", h, "--from", `${yesterday}T12`, "--to", `${yesterday}T12`).status,
      0,
    );
    check([
      "--h5",
      binanceStore,
      "--dir",
      h,
      "--format",
      "csv",
      "--from",
      `${yesterday}T12`,
      "--to",
      `${yesterday}T12`,
    ]);
    const ins = npm("inspect", "--", binanceStore, "--from", today, "--json");
    assert.equal(ins.status, 0, ins.stderr);
    assert.equal((JSON.parse(ins.stdout) as { files: unknown[] }).files.length, 2, "before-partitions.h5 and today's");
  } finally {
    fs.rmSync(trap);
  }
  const bad = npm("export", "--", binanceStore, "--csv", dir, "--from", "2026-13-01");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--from 2026-13-01: expected a UTC day YYYY-MM-DD or hour YYYY-MM-DDTHH/);
  assert.match(
    npm("export", "--", binanceStore, "--csv", dir, "--from", today, "--to", yesterday).stderr,
    /lies after/,
  );
  const empty = path.join(dir, "empty-store");
  fs.mkdirSync(empty);
  for (const r of [npm("export", "--", empty, "--csv", dir), npm("inspect", "--", empty)]) {
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), `${empty}: no store files in this folder (partitions are named like 2026-12-07.h5)`);
  }
  const none = npm("inspect", "--", path.join(dir, "no-such-store"));
  assert.equal(none.status, 1);
  assert.equal(none.stderr.trim(), `${path.join(dir, "no-such-store")}: no such file or store folder`);
});

test("export --jsonl of a twitter store folder resolves each tweet's text against its own file's /text_heap", () => {
  const out = path.join(dir, "store-jsonl");
  const r = npm("export", "--", twitterStore, "--jsonl", out);
  assert.equal(r.status, 0, r.stderr);
  const c = check(["--h5", twitterStore, "--dir", out, "--format", "jsonl"]);
  assert.deepEqual(Object.keys(c.tables).sort(), ["/sentiment", "/tweets"]);
  const tweets = fs
    .readFileSync(path.join(out, "tweets.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { id: string; text: string; text_heap_offset: number });
  assert.equal(new Set(tweets.map((t) => t.id)).size, tweets.length, "one row per id");
  const byText = new Map(tweets.map((t) => [t.text, t]));
  for (const a of [...AWKWARD_TEXTS, ...SECOND_TEXTS])
    assert.ok(byText.has(a.text), `exported exactly: ${JSON.stringify(a.text.slice(0, 40))}`);
  // Today's file has a heap of its own: its offsets start again at 0, where the older file's
  // heap holds other bytes, so a text read from the wrong heap could not come out right.
  const second = byText.get(SECOND_TEXTS[0]!.text)!;
  assert.ok(second.text_heap_offset >= 0, "the long text of today's file lives in its heap");
  const legacyHeap = JSON.parse(inspectJson("text_heap", 0, path.join(twitterStore, "before-partitions.h5"))) as {
    rows: number;
  };
  assert.ok(
    second.text_heap_offset < legacyHeap.rows,
    `offset ${second.text_heap_offset} also lies in the older file's heap (${legacyHeap.rows} bytes)`,
  );
});
