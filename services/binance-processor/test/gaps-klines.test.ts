/**
 * The aggTrade processor on a fake Kafka consumer: gap markers become /gaps rows and flag
 * the windows they overlap, closed klines become /kline/<SYMBOL> rows, bad markers are
 * counted rejections, and a crash with a replay from the committed offsets writes no gap
 * or kline twice.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Consumer, Delivery } from "@cryptostream/common";
import { FakeConsumer, newestStoreFile } from "@cryptostream/testkit";
import { specMarketProcessor } from "./spec-processor.js";
import { datasetPaths, readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { AGG_TRADE } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns } from "@cryptostream/binance-processor/sink/market-table";
import { GAP_COLUMNS } from "@cryptostream/binance-processor/gaps/gap-table";
import { KLINE_COLUMNS } from "@cryptostream/binance-processor/klines/kline-table";
import { mergeWindowRows } from "@cryptostream/common/hdf5/merge-windows";

const BASE = 1_700_000_040_000; // a multiple of 10 s
const W = 10_000;

function deliveries(msgs: unknown[]): Delivery[] {
  return msgs.map((m, i) => ({
    topic: "binance",
    key: "BTCUSDT",
    value: Buffer.from(typeof m === "string" ? m : JSON.stringify(m)),
    partition: 0,
    offset: String(i),
  }));
}

const trade = (T: number, id: number, m: boolean) => ({
  stream: "btcusdt@aggTrade",
  data: { e: "aggTrade", E: T + 1, s: "BTCUSDT", a: id, p: "100.5", q: "2", f: id, l: id + 1, T, m, M: true },
});
const gap = (from: number, to: number, filled: boolean) => ({
  stream: "btcusdt@aggTrade",
  data: {
    e: "gap",
    E: to,
    s: "BTCUSDT",
    stream: "btcusdt@aggTrade",
    symbols: ["BTCUSDT"],
    from,
    to,
    cause: "drop",
    filled,
    missing: filled ? 3 : null,
  },
});
const kline = (t: number, x: boolean) => ({
  stream: "btcusdt@kline_1m",
  data: {
    e: "kline",
    E: t + W,
    s: "BTCUSDT",
    k: {
      t,
      T: t + W - 1,
      i: "10s",
      o: "100.5",
      h: "100.5",
      l: "100.5",
      c: "100.5",
      v: "4",
      q: "402",
      n: 4,
      V: "2",
      Q: "201",
      x,
    },
  },
});

/** Trades in windows 0, 1, 4, 5, 6 (2 and 3 empty), a gap over 3..4, a filled one inside 0. */
const LOG = [
  trade(BASE + 1_000, 1, false),
  trade(BASE + 2_000, 3, true),
  gap(BASE + 2_000, BASE + 3_000, true),
  trade(BASE + 3_000, 5, false),
  trade(BASE + W + 500, 7, true),
  kline(BASE, false),
  kline(BASE, true),
  kline(BASE, true), // repeated: one row per open_time
  trade(BASE + W + 600, 9, false),
  gap(BASE + 3 * W + 100, BASE + 4 * W + 50, false),
  { stream: "btcusdt@aggTrade", data: { e: "gap", s: "BTCUSDT", from: 1 } }, // bad marker
  trade(BASE + 4 * W + 60, 11, true),
  trade(BASE + 5 * W + 1, 13, false),
  trade(BASE + 6 * W + 1, 15, true),
  kline(BASE + W, true),
  trade(BASE + 9 * W, 17, true),
];

function makeProcessor(
  file: string,
  consumer: Consumer,
  onGapAfterWrite?: (g: { from: number }) => void,
  now: () => number = () => 0,
  onLateBackfill?: (symbol: string, windowStart: number) => void,
) {
  return specMarketProcessor(file, consumer, {
    spec: AGG_TRADE,
    symbols: ["BTCUSDT"],
    now,
    overrides: { onGapAfterWrite, onLateBackfill },
  });
}

async function dump(file: string) {
  return withFile(newestStoreFile(file), (f) => ({
    paths: datasetPaths(f),
    windows: readColumns(
      f,
      "/aggTrade/BTCUSDT",
      marketColumns(AGG_TRADE).map((c) => c.name),
    ),
    gaps: readColumns(
      f,
      "/gaps",
      GAP_COLUMNS.map((c) => c.name),
    ),
    klines: readColumns(
      f,
      "/kline/BTCUSDT",
      KLINE_COLUMNS.map((c) => c.name),
    ),
  }));
}

test("gap markers flag the windows they overlap and land in /gaps; closed klines in /kline once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaps-"));
  const c = new FakeConsumer();
  const { p, metrics } = await makeProcessor(path.join(dir, "a.h5"), c);
  await c.deliver(deliveries(LOG));
  await p.stop();
  const d = (await dump(path.join(dir, "a.h5")))!;
  assert.deepEqual(d.paths.sort(), ["/aggTrade/BTCUSDT", "/gaps", "/kline/BTCUSDT"]);
  const starts = d.windows.get("window_start")!.map((v) => (Number(v) - BASE) / W);
  // Windows 2, 3, 7 and 8 have no trades and are rows; 8 and 9 are still open at the stop (the log rebuilds them).
  assert.deepEqual(starts, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(d.windows.get("count")!.map(Number), [3, 2, 0, 0, 1, 1, 1, 0]);
  assert.deepEqual(d.windows.get("gap")!.map(Number), [1, 0, 0, 2, 2, 0, 0, 0]);
  assert.deepEqual(d.windows.get("trade_count")!.map(Number), [6, 4, 0, 0, 2, 2, 2, 0]);
  assert.deepEqual(d.windows.get("taker_buy_volume")!, [4, 2, 0, 0, 0, 2, 0, 0]);
  assert.ok(Number.isNaN(d.windows.get("open")![2] as number), "an empty window has no price");
  assert.deepEqual(d.gaps.get("cause"), ["drop", "drop"]);
  assert.deepEqual(d.gaps.get("filled")!.map(Number), [1, 0]);
  assert.deepEqual(d.gaps.get("missing")!.map(Number), [3, -1]);
  assert.deepEqual(d.gaps.get("log_offset_first")!.map(Number), [2, 9], "each gap row names its marker's offset");
  assert.deepEqual(
    d.klines.get("open_time")!.map((v) => Number(v) - BASE),
    [0, W],
  );
  assert.deepEqual(d.klines.get("trade_count")!.map(Number), [4, 4]);
  assert.equal(metrics.rejects.get({ reason: "bad_gap_marker" }), 1);
  assert.equal(metrics.rejects.get({ reason: "wrong_event_type" }), 0, "markers and klines are not wrong events");
});

test("Kafka: a replay from the start after a crash writes no gap or kline twice and leaves the rows as an uninterrupted run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaps-"));
  const plain = new FakeConsumer();
  const a = await makeProcessor(path.join(dir, "a.h5"), plain);
  await plain.deliver(deliveries(LOG));
  await a.p.stop();

  const log = deliveries(LOG);
  const crashy = new FakeConsumer();
  const fileB = path.join(dir, "b.h5");
  const b1 = await makeProcessor(fileB, crashy);
  for (const d of log.slice(0, 13)) await crashy.deliver([d]);
  b1.p.abandon();
  assert.ok((crashy.committed.get(0) ?? 0n) > 9n, "the markers were written and committed");
  // The commits were lost (a failed commit, a broker that forgot them): the whole log replays.
  const from = 0n;
  const restarted = new FakeConsumer();
  const b2 = await makeProcessor(fileB, restarted);
  await restarted.deliver(log.filter((d) => BigInt(d.offset) >= from));
  await b2.p.stop();
  assert.deepEqual(await dump(fileB), await dump(path.join(dir, "a.h5")));
});

test("a marker that arrives after windows it overlaps were written gives each a count-0 row with the flag; /gaps records it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaps-"));
  const c = new FakeConsumer();
  const afterWrite: number[] = [];
  const { p } = await makeProcessor(path.join(dir, "late.h5"), c, (g) => afterWrite.push(g.from - BASE));
  const log = deliveries([
    trade(BASE + 1_000, 1, false),
    trade(BASE + 3 * W, 3, true), // closes window 0 and the empty window 1: written after this batch
    gap(BASE + 500, BASE + 2 * W + 500, false), // overlaps 0 (written), 1 (written), 2 (open)
    trade(BASE + 6 * W, 5, false),
    gap(BASE + 6 * W, BASE + 6 * W + 100, true), // only the open window 6: nothing to report
  ]);
  for (const m of log) await c.deliver([m]); // one batch each: windows are written between them
  await p.stop();
  assert.deepEqual(afterWrite, [500], "the marker that came after its windows were written is reported");
  const d = (await dump(path.join(dir, "late.h5")))!;
  assert.deepEqual(
    d.windows.get("window_start")!.map((v) => (Number(v) - BASE) / W),
    [0, 1, 0, 1, 2, 3, 4],
  );
  assert.deepEqual(d.windows.get("count")!.map(Number), [1, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual(d.windows.get("gap")!.map(Number), [0, 0, 2, 2, 2, 0, 0], "written ones by an extra row");
  const { merged } = await mergedWindows(path.join(dir, "late.h5"));
  assert.deepEqual(
    merged.map((r) => [(Number(r.window_start) - BASE) / W, Number(r.count), Number(r.gap)]),
    [
      [0, 1, 2],
      [1, 0, 2],
      [2, 0, 2],
      [3, 1, 0],
      [4, 0, 0],
    ],
  );
  assert.deepEqual(
    d.gaps.get("from")!.map((v) => Number(v) - BASE),
    [500, 6 * W],
  );
});

const backfilled = (T: number, id: number, m: boolean) => ({ ...trade(T, id, m), backfill: true });

/** Rows of /aggTrade/BTCUSDT as objects, merged per window by the documented rule. */
async function mergedWindows(file: string) {
  const d = (await dump(file))!;
  const names = [...d.windows.keys()];
  const n = d.windows.get("window_start")!.length;
  const rows = Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((c) => [c, d.windows.get(c)![i] as number | string])),
  );
  return { rows, merged: mergeWindowRows(rows) };
}

test("backfilled trades whose window the wall clock already wrote go to an extra row; merged, the file equals an on-time run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaps-"));
  let clock = BASE + 1_500;
  const c = new FakeConsumer();
  const late: number[] = [];
  const { p, metrics } = await makeProcessor(
    path.join(dir, "outage.h5"),
    c,
    undefined,
    () => clock,
    (_s, start) => late.push((start - BASE) / W),
  );
  const before = [trade(BASE + 1_000, 1, false), trade(BASE + 2_000, 3, true)];
  const after = [
    backfilled(BASE + 3_000, 5, false), // window 0: written while the producer was away
    backfilled(BASE + 4_000, 7, true),
    backfilled(BASE + W + 100, 9, false), // window 1: still open, counted as usual
    gap(BASE + 2_000, BASE + W + 100, true),
    trade(BASE + W + 200, 11, true),
    trade(BASE + 3 * W, 13, false), // closes window 1
  ];
  await c.deliver(deliveries(before));
  clock = BASE + W + 5_000; // window 0's end + lateness + idle time have passed
  await (p as unknown as { tick(): Promise<void> }).tick();
  await c.deliver(deliveries([...before, ...after]).slice(before.length));
  await c.deliver(deliveries([...before, ...after, trade(BASE + 4_500, 15, false)]).slice(-1)); // live and late
  await p.stop();

  assert.deepEqual(late, [0, 0], "the two backfilled trades of window 0 were counted late");
  assert.equal(metrics.rejects.get({ reason: "late" }), 1, "a live trade that comes late is still rejected");
  const { rows, merged } = await mergedWindows(path.join(dir, "outage.h5"));
  assert.deepEqual(
    rows.map((r) => [(Number(r.window_start) - BASE) / W, Number(r.count), Number(r.gap), Number(r.complete)]),
    [
      [0, 2, 0, 1], // written by the wall clock before the marker came
      [0, 0, 1, 1], // the marker's flag for it
      [1, 2, 1, 1],
      [0, 2, 1, 1], // the extra row: only the backfilled trades
    ],
  );

  // The commits were lost: the whole log replays into the same file, and nothing is counted twice.
  const file = path.join(dir, "outage.h5");
  const written = await dump(file);
  const again = new FakeConsumer();
  const replay = await makeProcessor(file, again, undefined, () => clock);
  await again.deliver(deliveries([...before, ...after, trade(BASE + 4_500, 15, false)]));
  await replay.p.stop();
  assert.deepEqual(await dump(file), written, "a replay adds no row");

  const onTime = new FakeConsumer();
  const ref = await makeProcessor(path.join(dir, "on-time.h5"), onTime);
  await onTime.deliver(deliveries([...before, ...after]));
  await ref.p.stop();
  const want = (await mergedWindows(path.join(dir, "on-time.h5"))).merged;
  const strip = (r: Record<string, number | string>) => {
    const { log_partition: _p, log_offset_first: _f, log_offset_last: _l, gap: _g, ...rest } = r;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));
  };
  assert.deepEqual(merged.map(strip), want.map(strip), "merged rows equal the run where nothing came late");
  assert.deepEqual(
    merged.map((r) => Number(r.gap)),
    [1, 1],
    "merged, window 0 carries the gap flag too",
  );
});

test("ZeroMQ: windows lost in a crash are recorded as a /gaps row (cause crash) and flag the partial windows after it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gaps-"));
  const file = path.join(dir, "crash.h5");
  const first = new FakeConsumer({ replays: false });
  const a = await makeProcessor(file, first);
  // Windows 0 and 1 are written (window 2's trade closes them), window 2 is open at the kill.
  await first.deliver(deliveries([trade(BASE + 1_000, 1, false), trade(BASE + W + 1, 3, true)]));
  await first.deliver(deliveries([trade(BASE + 2 * W + 2_500, 5, false)]));
  a.p.abandon(); // kill -9: window 2's trade is lost with the process
  const second = new FakeConsumer({ replays: false });
  const b = await makeProcessor(file, second);
  // After the restart the stream goes on in window 6.
  await second.deliver(deliveries([trade(BASE + 6 * W + 500, 7, false), trade(BASE + 8 * W + 500, 9, true)]));
  await b.p.stop();
  const d = (await dump(file))!;
  assert.deepEqual(d.gaps.get("cause"), ["crash"]);
  assert.deepEqual(
    [...d.gaps.get("from")!, ...d.gaps.get("to")!].map((v) => (Number(v) - BASE) / W),
    [2, 7],
    "from the end of the newest window written before the crash to the end of the windows the restart may have missed",
  );
  assert.deepEqual(d.gaps.get("filled")!.map(Number), [0]);
  const starts = d.windows.get("window_start")!.map((v) => (Number(v) - BASE) / W);
  const flags = d.windows.get("gap")!.map(Number);
  const complete = d.windows.get("complete")!.map(Number);
  const at = (w: number) => starts.indexOf(w);
  assert.deepEqual([flags[at(0)], flags[at(1)]], [0, 0], "windows written before the crash keep their flags");
  assert.equal(flags[at(6)], 2, "the first window after the restart carries the unfilled gap");
  assert.equal(complete[at(6)], 0);
});
