/**
 * `npm run export -- STORE --parquet OUT` as a user types it, on store folders written with the
 * processors' own table schemas (H5Appender): a file of the earlier layout moved in
 * (before-partitions.h5), day and hour partitions, a replica's file, windows split across
 * files and replicas (with a Kafka repeat), aggTrade candles, Binance klines, gaps, and tweets
 * whose long texts live in each file's own /text_heap at overlapping offsets. The output is read
 * back by PyPI's pyarrow (pyarrow.dataset, Hive partitioning: no code of ours), pandas, polars
 * and DuckDB in the virtual environment scripts/test-prereqs.sh makes, and compared value by
 * value with h5py's merged rows (test/support/check_parquet.py, on check_export.py).
 */
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender, type TableWrite } from "@cryptostream/common/hdf5/appender";
import { appendToByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import type { TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { AGG_TRADE, TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { klineWrites } from "@cryptostream/binance-processor/klines/kline-table";
import { gapWrite } from "@cryptostream/binance-processor/gaps/gap-table";
import { TEXT_HEAP, tweetsTableSpec } from "@cryptostream/twitter-processor/sink/tweet-table";
import { sentimentTableSpec } from "@cryptostream/twitter-processor/sink/sentiment-table";
import { deletesTableSpec } from "@cryptostream/twitter-processor/sink/deletes-table";
import { ROOT } from "../support/service-process.js";

const VENV_PYTHON = path.join(
  process.env.PYARROW_VENV ?? path.join(os.homedir(), ".cache", "cryptostream", "pyarrow-venv"),
  "bin",
  "python",
);
const ATTRS = { windowSeconds: 60, latenessSeconds: 30 };
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

let dir: string;
let binance: string;
let twitter: string;

type Row = Record<string, number | string>;

/** Column data of `rows` for `spec`: int64 columns as bigint, the rest as given. */
function write(spec: TableSpec, rows: Row[]): TableWrite {
  return {
    spec,
    data: new Map(
      spec.columns.map((c) => [c.name, rows.map((r) => (c.type === "<i8" ? BigInt(r[c.name] as number) : r[c.name]!))]),
    ),
  };
}

function ticker(symbol: string, start: number, v: { count: number; first: number; last: number } & Row): TableWrite {
  const row: Row = {
    window_start: start,
    window_end: start + MIN,
    event_time_first: start + v.first,
    event_time_last: start + v.last,
    complete: 1,
    gap: 0,
    log_partition: -1,
    log_offset_first: -1,
    log_offset_last: -1,
    ...v,
  };
  for (const c of marketColumns(TICKER))
    row[c.name] ??= c.name.endsWith("_sum") ? v.count * (100.25 + v.first / 7) : 100 + v.first / 3 + v.last / 1e4;
  return write(marketTableSpec(TICKER, symbol, 60, 5), [row]);
}

function candle(symbol: string, start: number, v: Row): TableWrite {
  const row: Row = {
    window_start: start,
    window_end: start + MIN,
    complete: 1,
    gap: 0,
    log_partition: -1,
    log_offset_first: -1,
    log_offset_last: -1,
    ...v,
  };
  return write(marketTableSpec(AGG_TRADE, symbol, 60, 5), [row]);
}

const traded = (first: number, last: number, o: number, c: number, vol: number): Row => ({
  count: 2,
  event_time_first: first,
  event_time_last: last,
  open: o,
  high: Math.max(o, c) + 0.5,
  low: Math.min(o, c) - 0.25,
  close: c,
  volume: vol,
  quote_volume: vol * o,
  trade_count: 3,
  taker_buy_volume: vol / 3,
  taker_buy_quote_volume: (vol * o) / 3,
  vwap: o,
});

function kline(symbol: string, openTime: number) {
  return klineWrites([
    {
      kline: {
        symbol,
        interval: "1m",
        openTime,
        closeTime: openTime + MIN - 1,
        open: 100,
        high: 101.5,
        low: 99.75,
        close: 101,
        volume: 3,
        quoteVolume: 301.5,
        tradeCount: 6,
        takerBuyVolume: 1,
        takerBuyQuoteVolume: 100.5,
      },
      origin: { partition: -1, first: -1, last: -1 },
    },
  ]);
}

function gap(symbol: string, from: number, to: number, cause: "drop" | "stale", filled: boolean) {
  return gapWrite([
    {
      gap: { symbol, stream: `${symbol.toLowerCase()}@aggTrade`, from, to, cause, filled, missing: filled ? 4 : -1 },
      origin: { partition: -1, first: -1, last: -1 },
    },
  ]);
}

const utf8 = new TextEncoder();

/** /tweets rows and the /text_heap bytes they point into, in one flush of `file`, as the processor writes them. */
async function writeTweets(
  file: string,
  tweets: Array<{ id: string; text: string; createdAt: number; deletedAt?: number }>,
) {
  const heap: Uint8Array[] = [];
  let heapLength = 0;
  const rows = tweets.map((t, i): Row => {
    const bytes = utf8.encode(t.text);
    const overflow = bytes.length > 1120 || t.text.includes("\u0000");
    let offset = -1;
    if (overflow) {
      offset = heapLength;
      heap.push(bytes);
      heapLength += bytes.length;
    }
    const score = Math.round(Math.sin(i + t.createdAt / 1e5) * 1e4) / 1e4;
    return {
      id: t.id,
      source: i % 3 === 2 ? "bluesky" : "twitter",
      uri: i % 3 === 2 ? `at://did:plc:abc${i}/app.bsky.feed.post/3kabc${i}` : "",
      created_at: t.createdAt,
      author_id: `${1000 + i}`,
      lang: "en",
      text: overflow ? t.text.split("\u0000")[0]!.slice(0, 40) : t.text,
      text_bytes: bytes.length,
      text_heap_offset: offset,
      cleaned_text: t.text
        .slice(0, 30)
        .toLowerCase()
        .replace(/\u0000/g, ""),
      cleaned_bytes: utf8.encode(
        t.text
          .slice(0, 30)
          .toLowerCase()
          .replace(/\u0000/g, ""),
      ).length,
      cleaned_heap_offset: -1,
      token_count: 5,
      sentiment_score: score,
      sentiment_pos: 0.25,
      sentiment_neu: 0.625,
      sentiment_neg: 0.125,
      sentiment_label: score > 0.05 ? "positive" : score < -0.05 ? "negative" : "neutral",
      window_start: Math.floor(t.createdAt / MIN) * MIN,
      in_sentiment: i % 4 === 3 ? 0 : 1,
      log_partition: -1,
      log_offset: -1,
      deleted_at: t.deletedAt ?? -1,
    };
  });
  const all = new Uint8Array(heapLength);
  let o = 0;
  for (const b of heap) {
    all.set(b, o);
    o += b.length;
  }
  await new H5Appender(file).append([write(tweetsTableSpec(ATTRS), rows)], (f) => {
    const base = appendToByteHeap(f, TEXT_HEAP, all);
    assert.equal(base, 0, "a new file's heap starts at 0");
  });
}

function sentiment(
  start: number,
  source: string,
  count: number,
  sum: number,
  complete: number,
  part = -1,
  offs = [-1, -1],
) {
  return write(sentimentTableSpec(ATTRS), [
    {
      window_start: start,
      window_end: start + MIN,
      source,
      count,
      score_mean: sum / count,
      score_sum: sum,
      positive: count - 1,
      neutral: 1,
      negative: 0,
      complete,
      log_partition: part,
      log_offset_first: offs[0]!,
      log_offset_last: offs[1]!,
    },
  ]);
}

before(async () => {
  if (!fs.existsSync(VENV_PYTHON))
    throw new Error(`${VENV_PYTHON} is missing: run scripts/test-prereqs.sh (it makes the pyarrow virtualenv)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-parquet-"));
  binance = path.join(dir, "binance");
  twitter = path.join(dir, "twitter");
  const f = (store: string, name: string) => new H5Appender(path.join(store, name));
  // binance: the single file of the earlier layout, moved in on upgrade, holds 2026-12-06's last
  // minutes; the 23:59 window was cut by the upgrade's stop and continues in 2026-12-06.h5.
  const late = at("2026-12-06T23:58:00Z");
  await f(binance, "before-partitions.h5").append([
    ticker("BTCUSDT", late, { count: 4, first: 100, last: 59_000 }),
    ticker("BTCUSDT", late + MIN, { count: 2, first: 50, last: 20_000, complete: 0 }),
    candle("BTCUSDT", late + MIN, { ...traded(late + MIN + 10, late + MIN + 20, 100, 101, 2), complete: 0 }),
    gap("BTCUSDT", late - 5_000, late + 3_000, "drop", true),
  ]);
  await f(binance, "2026-12-06.h5").append([
    ticker("BTCUSDT", late + MIN, { count: 3, first: 30_000, last: 59_999 }),
    candle("BTCUSDT", late + MIN, { ...traded(late + MIN + 30, late + MIN + 50, 102, 99, 1), gap: 1 }),
    ...kline("BTCUSDT", late + MIN),
  ]);
  // 2026-12-07: two symbols; a replica's file holds more rows of one window, one a repeat (its
  // log range lies inside the other file's row of the same partition).
  const noon = at("2026-12-07T12:00:00Z");
  await f(binance, "2026-12-07.h5").append([
    ticker("BTCUSDT", noon, {
      count: 9,
      first: 100,
      last: 58_000,
      complete: 0,
      log_partition: 0,
      log_offset_first: 100,
      log_offset_last: 180,
    }),
    ticker("ETHUSDT", noon, { count: 5, first: 10, last: 40_000 }),
    // A row of 2026-12-06's last window written after that day was sealed: the store puts it
    // in the oldest open partition; it merges with that window's rows in the other two files.
    ticker("BTCUSDT", late + MIN, { count: 1, first: 59_100, last: 59_100 }),
    candle("ETHUSDT", noon, traded(noon + 5, noon + 9, 3000, 3001.5, 0.1)),
    candle("ETHUSDT", noon + MIN, {
      count: 0,
      event_time_first: -1,
      event_time_last: -1,
      open: NaN,
      high: NaN,
      low: NaN,
      close: NaN,
      volume: 0,
      quote_volume: 0,
      trade_count: 0,
      taker_buy_volume: 0,
      taker_buy_quote_volume: 0,
      vwap: NaN,
      gap: 2,
    }),
    gap("ETHUSDT", noon + 50_000, noon + 130_000, "stale", false),
  ]);
  await f(binance, "2026-12-07.r2.h5").append([
    ticker("BTCUSDT", noon, {
      count: 4,
      first: 120,
      last: 150,
      log_partition: 0,
      log_offset_first: 120,
      log_offset_last: 150,
    }),
  ]);
  await f(binance, "2026-12-07.r2.h5").append([
    ticker("BTCUSDT", noon, {
      count: 5,
      first: 300,
      last: 59_500,
      log_partition: 1,
      log_offset_first: 300,
      log_offset_last: 340,
    }),
  ]);
  // An hour partition of the next day.
  await f(binance, "2026-12-08T00.h5").append([
    ticker("ETHUSDT", at("2026-12-08T00:01:00Z"), { count: 1, first: 5, last: 5 }),
  ]);

  // twitter: two days, each file with its own heap (both start at offset 0), a tweet stored in
  // both (kept once), a window split across the upgrade, a delete.
  const t7 = at("2026-12-07T09:30:00Z");
  const t8 = at("2026-12-08T17:45:00Z");
  await writeTweets(path.join(twitter, "before-partitions.h5"), [
    { id: "1869000000000000001", text: "bitcoin old layout " + "🚀 moon ".repeat(200), createdAt: t7 + 1_000 },
    { id: "1869000000000000002", text: "bitcoin with a NUL\u0000 in the old file", createdAt: t7 + 2_000 },
    { id: "1869000000000000003", text: "bitcoin plain, trailing spaces   ", createdAt: t7 + 3_000 },
  ]);
  await f(twitter, "before-partitions.h5").append([sentiment(Math.floor(t7 / MIN) * MIN, "twitter", 2, 0.5, 0)]);
  await writeTweets(path.join(twitter, "2026-12-07.h5"), [
    { id: "1869000000000000004", text: "bitcoin second file " + "👨‍👩‍👧‍👦".repeat(60), createdAt: t7 + 30_000 },
    { id: "1869000000000000003", text: "bitcoin plain, trailing spaces   ", createdAt: t7 + 3_000 },
    { id: "1869000000000000005", text: "", createdAt: t7 + 40_000, deletedAt: t7 + 50_000 },
  ]);
  await f(twitter, "2026-12-07.h5").append([
    sentiment(Math.floor(t7 / MIN) * MIN, "twitter", 1, 0.25, 1),
    sentiment(Math.floor(t7 / MIN) * MIN, "bluesky", 1, -0.5, 1),
    write(deletesTableSpec(ATTRS), [
      {
        id: "1869000000000000005",
        uri: "at://did:plc:abc5/app.bsky.feed.post/3kabc5",
        source: "bluesky",
        deleted_at: t7 + 50_000,
        applied: 1,
        log_partition: -1,
        log_offset: -1,
      },
    ]),
  ]);
  await writeTweets(path.join(twitter, "2026-12-08.h5"), [
    { id: "1869000000000000006", text: "bitcoin third file " + "é".repeat(600), createdAt: t8 },
    { id: "1869000000000000007", text: "bitcoin 比特币 “quotes” ✓", createdAt: t8 + 1 },
  ]);
  await f(twitter, "2026-12-08.h5").append([sentiment(Math.floor(t8 / MIN) * MIN, "twitter", 2, 0.75, 1)]);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function exportParquet(store: string, out: string, ...extra: string[]) {
  const t0 = performance.now();
  const r = spawnSync("npm", ["run", "--silent", "export", "--", store, "--parquet", out, ...extra], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, ms: performance.now() - t0 };
}

function checkParquet(store: string, out: string, ...extra: string[]) {
  const r = spawnSync(
    VENV_PYTHON,
    [path.join(ROOT, "test/support/check_parquet.py"), "--h5", store, "--out", out, ...extra],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(r.stdout || "{}") as { tables: Record<string, number>; files: number; problems: string[] };
  assert.deepEqual(report.problems, [], r.stderr);
  assert.equal(r.status, 0, r.stderr);
  return report;
}

/** Every file below `root`, relative, with its SHA-256. */
function digests(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
    const p = path.join(root, rel);
    if (fs.statSync(p).isFile()) out[rel] = crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
  }
  return out;
}

test("a binance store folder exports as Hive-partitioned Parquet that pyarrow, pandas, polars and DuckDB read as h5py's merged rows", () => {
  const out = path.join(dir, "pq-binance");
  const { stdout, ms } = exportParquet(binance, out);
  assert.match(stdout, /5 files read in/);
  const files = Object.keys(digests(out)).sort();
  assert.deepEqual(files, [
    "aggTrade/symbol=BTCUSDT/date=2026-12-06/part-0.parquet",
    "aggTrade/symbol=ETHUSDT/date=2026-12-07/part-0.parquet",
    "gaps/date=2026-12-06/part-0.parquet",
    "gaps/date=2026-12-07/part-0.parquet",
    "kline/symbol=BTCUSDT/date=2026-12-06/part-0.parquet",
    "ticker/symbol=BTCUSDT/date=2026-12-06/part-0.parquet",
    "ticker/symbol=BTCUSDT/date=2026-12-07/part-0.parquet",
    "ticker/symbol=ETHUSDT/date=2026-12-07/part-0.parquet",
    "ticker/symbol=ETHUSDT/date=2026-12-08/part-0.parquet",
  ]);
  const c = checkParquet(binance, out);
  assert.deepEqual(c.tables, {
    "/ticker/BTCUSDT": 3, // 23:58, the 23:59 window merged over two files, noon merged over replicas
    "/aggTrade/BTCUSDT": 1,
    "/gaps": 2,
    "/kline/BTCUSDT": 1,
    "/ticker/ETHUSDT": 2,
    "/aggTrade/ETHUSDT": 2,
  });
  console.log(`# binance store to Parquet: ${ms.toFixed(0)} ms (npm run included), ${c.files} files`);
});

test("tweets come whole from each file's own heap, once per id; sentiment merges across files; deletes keep their rows", () => {
  const out = path.join(dir, "pq-twitter");
  exportParquet(twitter, out);
  const c = checkParquet(twitter, out);
  assert.deepEqual(c.tables, { "/tweets": 7, "/sentiment": 3, "/deletes": 1 });
  assert.ok(fs.existsSync(path.join(out, "tweets/date=2026-12-08/part-0.parquet")));
  assert.ok(fs.existsSync(path.join(out, "deletes/date=2026-12-07/part-0.parquet")));
});

test("re-running writes the same bytes and replaces a partition's earlier parts; --from/--to write only their dates", () => {
  const out = path.join(dir, "pq-again");
  exportParquet(binance, out);
  const first = digests(out);
  const stale = path.join(out, "ticker/symbol=BTCUSDT/date=2026-12-07/part-7.parquet");
  fs.writeFileSync(stale, "left over from an earlier run");
  exportParquet(binance, out);
  assert.deepEqual(digests(out), first, "same files, same bytes, the stale part gone");

  const day = path.join(dir, "pq-day");
  exportParquet(binance, day, "--from", "2026-12-07", "--to", "2026-12-07");
  assert.deepEqual(Object.keys(digests(day)).sort(), [
    "aggTrade/symbol=ETHUSDT/date=2026-12-07/part-0.parquet",
    "gaps/date=2026-12-07/part-0.parquet",
    "ticker/symbol=BTCUSDT/date=2026-12-07/part-0.parquet",
    "ticker/symbol=ETHUSDT/date=2026-12-07/part-0.parquet",
  ]);
  checkParquet(binance, day, "--from", "2026-12-07", "--to", "2026-12-07");
  for (const rel of Object.keys(digests(day)))
    assert.equal(digests(day)[rel], first[rel], `${rel}: a day exported alone is the same file`);
  // 2026-12-06 alone: its last window's late row lives in 2026-12-07.h5, read for late rows only.
  const early = path.join(dir, "pq-early");
  exportParquet(binance, early, "--to", "2026-12-06");
  checkParquet(binance, early, "--to", "2026-12-06");
  const rel = "ticker/symbol=BTCUSDT/date=2026-12-06/part-0.parquet";
  assert.equal(digests(early)[rel], first[rel], "the window merged with its late row, as in the whole export");
  assert.ok(!fs.existsSync(path.join(early, "ticker/symbol=ETHUSDT")), "no row of 2026-12-07");
});
