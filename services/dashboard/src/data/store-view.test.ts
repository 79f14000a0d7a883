import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { createLogger, Registry, silentLogger } from "@cryptostream/common";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import type { ColumnSpec, TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { periodOf } from "@cryptostream/common/store/layout";
import { dashboardConfig } from "../config.js";
import { Dashboard } from "../dashboard.js";
import { marketPoints } from "../series/candles.js";
import { PartitionReader } from "./partition-reader.js";
import { periodGroups, storeFiles } from "./store-files.js";
import { windowRows } from "./store-view.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATASET = "/aggTrade/BTCUSDT";
const COLUMNS: ColumnSpec[] = [
  ...["window_start", "window_end", "count", "event_time_first", "event_time_last"].map((name) => ({
    name,
    type: "<i8" as const,
  })),
  { name: "complete", type: "|u1" },
  { name: "gap", type: "|u1" },
  ...["open", "high", "low", "close", "volume"].map((name) => ({ name, type: "<f8" as const })),
  { name: "log_partition", type: "<i4" },
  { name: "log_offset_first", type: "<i8" },
  { name: "log_offset_last", type: "<i8" },
];
const SPEC: TableSpec = { path: DATASET, columns: COLUMNS, attrs: { window_seconds: 3600 }, chunkRows: 64, gzip: 1 };

interface Row {
  start: number;
  count?: number;
  open?: number;
  high?: number;
  low?: number;
  close?: number;
  first?: number;
  last?: number;
}

/** Appends hourly windows to a partition file, as a processor's flush would (copy, rename). */
async function append(file: string, rows: readonly Row[]): Promise<void> {
  const value = (r: Row, c: string): number => {
    const o = r.open ?? 100 + (r.start / HOUR) % 50;
    const v: Record<string, number> = {
      window_start: r.start,
      window_end: r.start + HOUR,
      count: r.count ?? 10,
      event_time_first: r.first ?? r.start + 1,
      event_time_last: r.last ?? r.start + HOUR - 1,
      complete: 1,
      gap: 0,
      open: o,
      high: r.high ?? o + 2,
      low: r.low ?? o - 2,
      close: r.close ?? o + 1,
      volume: r.count ?? 10,
      log_partition: -1,
      log_offset_first: -1,
      log_offset_last: -1,
    };
    return v[c]!;
  };
  const data = new Map(
    COLUMNS.map((c) => [c.name, rows.map((r) => (c.type === "<i8" ? BigInt(value(r, c.name)) : value(r, c.name)))]),
  );
  await new H5Appender(file).append([{ spec: SPEC, data }]);
}

const dayFile = (dir: string, ms: number) => path.join(dir, `${periodOf(ms, "day").id}.h5`);

let root: string;
let store: string;
/** Start of the newest day: it holds 10 hourly windows, each of the 29 days before it 24. */
let today: number;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-store-"));
  store = path.join(root, "binance");
  fs.mkdirSync(store);
  today = Math.floor(Date.now() / DAY) * DAY;
  for (let d = 29; d >= 1; d--) {
    const day = today - d * DAY;
    await append(
      dayFile(store, day),
      Array.from({ length: 24 }, (_, h) => ({ start: day + h * HOUR })),
    );
  }
  await append(
    dayFile(store, today),
    Array.from({ length: 10 }, (_, h) => ({ start: today + h * HOUR })),
  );
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test("with 30 day partitions a chart of 30 windows opens the newest two only, once each", async () => {
  const groups = periodGroups(storeFiles(`${store}.h5`)); // the earlier setting names the folder
  assert.equal(groups.length, 30);
  const reader = new PartitionReader(silentLogger);
  const r = await windowRows(reader, groups, DATASET, 30, 30, 2);
  assert.deepEqual(reader.recentOpens, [dayFile(store, today), dayFile(store, today - DAY)]);
  const points = marketPoints(r.rows, 30);
  assert.equal(points.length, 30);
  assert.equal(points[29]!.time, (today + 9 * HOUR) / 1000);
  assert.equal(points[0]!.time, (today - 20 * HOUR) / 1000);
  // Read again (the next change): nothing changed, nothing is opened.
  await windowRows(reader, groups, DATASET, 30, 30, 2);
  assert.equal(reader.opens, 2);
  // A chart of 5 windows: the newest partition holds them all.
  const few = new PartitionReader(silentLogger);
  await windowRows(few, groups, DATASET, 5, 5, 2);
  assert.equal(few.opens, 1);
});

test("a partition deleted or damaged while listed is skipped with a warning, not an error", async () => {
  const dir = path.join(root, "vanishing");
  fs.mkdirSync(dir);
  await append(dayFile(dir, today - DAY), [{ start: today - DAY }]);
  await append(dayFile(dir, today), [{ start: today }]);
  const groups = periodGroups(storeFiles(dir));
  const lines: string[] = [];
  const reader = new PartitionReader(createLogger({}, { sink: (l) => lines.push(l) }));
  fs.rmSync(dayFile(dir, today)); // retention, between the listing and the read
  const r = await windowRows(reader, groups, DATASET, 10, 10, 2);
  assert.deepEqual(
    r.rows.map((x) => x.window_start),
    [today - DAY],
  );
  assert.ok(lines.some((l) => /vanished/.test(l) && /"level":"warn"/.test(l)), lines.join("\n"));
  fs.writeFileSync(dayFile(dir, today - DAY), "not HDF5 any more\n");
  reader.beginRound();
  const r2 = await windowRows(reader, groups, DATASET, 10, 10, 2);
  assert.deepEqual(r2.rows, []);
  assert.match([...reader.problems.values()][0]?.message ?? "", /not an HDF5 file/);
});

/** A page's event stream, recorded (what SseHub writes to it). */
class FakeResponse {
  readonly events: Array<{ event: string; data: any }> = [];
  writableLength = 0;
  writeHead() {
    return this;
  }
  write(text: string) {
    const m = /^event: (\S+)\ndata: (.*)\n\n$/s.exec(text);
    if (m) this.events.push({ event: m[1]!, data: JSON.parse(m[2]!) });
    return true;
  }
  on() {
    return this;
  }
  end() {}
  destroy() {}
}

async function until<T>(what: string, fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("the dashboard watches and reads the newest partitions only; a flush reopens just the file it replaced, and a late row in it merges into an older window", async () => {
  const cfg = dashboardConfig({ DASHBOARD_WATCH_MS: "20", DASHBOARD_MAX_WINDOWS: "30" }, [root]);
  const dashboard = new Dashboard(cfg, silentLogger, new Registry());
  await dashboard.start();
  try {
    // At start (no page yet) only the table list of the open partitions is read.
    assert.deepEqual(
      [...new Set(dashboard.opens("binance").recent)].sort(),
      [dayFile(store, today - DAY), dayFile(store, today)],
    );
    const res = new FakeResponse();
    const client = dashboard.hub.open(res as unknown as http.ServerResponse, DATASET)!;
    const t0 = performance.now();
    await dashboard.connect(client);
    const connectMs = performance.now() - t0;
    const reset = res.events.find((e) => e.event === "market")!;
    assert.equal(reset.data.mode, "reset");
    assert.equal(reset.data.points.length, 30);
    const opened = dashboard.opens("binance");
    assert.ok(
      opened.recent.every((f) => f === dayFile(store, today) || f === dayFile(store, today - DAY)),
      `only the newest two of 30 partitions were opened: ${opened.recent.join(", ")}`,
    );
    console.log(`# dashboard: 30 partitions, first series in ${connectMs.toFixed(1)} ms, ${opened.count} opens`);

    // A flush of the newest partition with a new window and a late row for yesterday's last window.
    const lateStart = today - HOUR;
    const before = yesterdayLast(reset.data.points, lateStart);
    await append(dayFile(store, today), [
      { start: lateStart, count: 5, high: 1_000, low: 1, first: lateStart + 10, last: lateStart + 20 },
      { start: today + 10 * HOUR },
    ]);
    const update = await until("the flush on the page", () =>
      res.events.filter((e) => e.event === "market").find((e) => e.data.points.some((p: any) => p.time === (today + 10 * HOUR) / 1000)),
    );
    // The late row changes an older candle: the page gets the whole series again.
    assert.equal(update.data.mode, "reset");
    const merged = update.data.points.find((p: any) => p.time === lateStart / 1000);
    assert.deepEqual(
      [merged.open, merged.close, merged.high, merged.low, merged.volume],
      [before.open, before.close, 1_000, 1, before.volume + 5],
      "merged by the rule: open and close from the on-time row (earlier first, later last), high/low over both, volumes add",
    );
    assert.equal(
      dashboard.opens("binance").count,
      opened.count + 1,
      "one open: the replaced partition (table list and tail together); yesterday's came from memory",
    );
    assert.equal(dashboard.opens("binance").recent.at(-1), dayFile(store, today));

    // Retention deletes the oldest partition while the dashboard runs: nothing to read, nothing breaks.
    const n = res.events.length;
    fs.rmSync(dayFile(store, today - 29 * DAY));
    await until("the listing change", () => (dashboard.opens("binance").count >= 0 && res.events.length > n ? true : undefined));
    assert.equal(dashboard.opens("binance").count, opened.count + 1, "an old partition going opens nothing");
  } finally {
    dashboard.stop();
  }
});

function yesterdayLast(points: any[], start: number) {
  const p = points.find((x) => x.time === start / 1000);
  assert.ok(p, "yesterday's last window is on the chart");
  return p as { open: number; close: number; high: number; low: number; volume: number };
}
