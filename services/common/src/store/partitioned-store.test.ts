import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "../hdf5/appender.js";
import { loadH5 } from "../hdf5/h5.js";
import { silentLogger } from "../log/logger.js";
import { assess } from "./disk-watch.js";
import { listStore, parsePeriod, parseStoreFileName, periodOf, resolveStoreFiles } from "./layout.js";
import { PartitionedStore } from "./partitioned-store.js";

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 11, 7);
const SPEC = {
  path: "/t",
  columns: [{ name: "window_start", type: "<i8" as const }],
  attrs: {},
  chunkRows: 16,
  gzip: 1,
};

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "store-"));
}

function store(dir: string, o: Partial<ConstructorParameters<typeof PartitionedStore>[0]> = {}) {
  return new PartitionedStore({
    dir,
    span: "day",
    replicaId: "",
    latenessMs: 5_000,
    retentionMs: 0,
    log: silentLogger,
    ...o,
  });
}

async function writeAt(s: PartitionedStore, times: number[]) {
  for (const g of s.route(times, (t) => t)) {
    await s.appender(g.period).append([{ spec: SPEC, data: new Map([["window_start", g.items.map(BigInt)]]) }]);
    s.written(g.period, Math.max(...g.items));
  }
}

test("periods and file names: day and hour, replicas, the legacy file, set-aside files are not store files", () => {
  assert.deepEqual(periodOf(D0 + 13 * 3_600_000 + 5, "day"), { id: "2026-12-07", start: D0, end: D0 + DAY });
  assert.equal(periodOf(D0 + 13 * 3_600_000 + 5, "hour").id, "2026-12-07T13");
  assert.equal(parsePeriod("2026-12-07T13")?.start, D0 + 13 * 3_600_000);
  assert.equal(parsePeriod("2026-02-30"), undefined);
  assert.equal(parseStoreFileName("2026-12-07.r-1.h5")?.replica, "r-1");
  assert.equal(parseStoreFileName("before-partitions.h5")?.period, undefined);
  assert.notEqual(parseStoreFileName("before-partitions.h5"), undefined);
  assert.equal(parseStoreFileName("2026-12-07.h5.damaged-20261207T000000Z"), undefined);
  assert.equal(parseStoreFileName("2026-12-07.h5.tmp-123"), undefined);
});

test("a start removes the copies its own replica's crashed writer left, never another replica's", async () => {
  const dir = tmp();
  const names = [
    "2026-12-07.a.h5.tmp-11",
    "all-partitions.a.hdf5.tmp-12",
    "2026-12-07.b.h5.tmp-13",
    "all-partitions.b.hdf5.tmp-14",
    "2026-12-07.h5.tmp-15",
  ];
  for (const n of names) fs.writeFileSync(path.join(dir, n), "x");
  await store(dir, { replicaId: "a" }).prepare();
  assert.deepEqual(
    fs
      .readdirSync(dir)
      .filter((n) => n.includes(".tmp-"))
      .sort(),
    ["2026-12-07.b.h5.tmp-13", "2026-12-07.h5.tmp-15", "all-partitions.b.hdf5.tmp-14"],
  );
});

test("rows go to the file of their period; a flush touches only those files; the old file stays as it was", async () => {
  const dir = tmp();
  const s = store(dir);
  await s.prepare();
  await writeAt(s, [D0 + 1, D0 + 2]);
  const first = path.join(dir, "2026-12-07.h5");
  const before = fs.statSync(first).mtimeMs;
  const inode = fs.statSync(first).ino;
  await writeAt(s, [D0 + DAY + 1]);
  assert.deepEqual(
    listStore(dir).map((f) => path.basename(f.path)),
    ["2026-12-07.h5", "2026-12-08.h5"],
  );
  assert.equal(fs.statSync(first).ino, inode, "the first day's file was not copied again");
  assert.equal(fs.statSync(first).mtimeMs, before);
  await s.refreshIndex();
  const h5 = await loadH5();
  const index = new h5.File(path.join(dir, "all-partitions.hdf5"), "r");
  try {
    assert.deepEqual(index.keys().sort(), ["2026-12-07", "2026-12-08"], "one external link per partition");
    assert.deepEqual(
      (index.get("2026-12-07/t") as unknown as { shape: number[] }).shape,
      [2],
      "the link reaches the partition's tables",
    );
  } finally {
    index.close();
  }
});

test("a period is sealed once rows past its end plus the lateness are written; late rows then go to the open partition; edits still reach the sealed file", async () => {
  const dir = tmp();
  const s = store(dir);
  await s.prepare();
  await writeAt(s, [D0 + 1_000, D0 + DAY + 1_000]);
  assert.deepEqual(s.dueForSeal(), [], "1 s into the next day is within the 5 s lateness");
  await writeAt(s, [D0 + DAY + 5_000]);
  const due = s.dueForSeal();
  assert.deepEqual(
    due.map((p) => p.id),
    ["2026-12-07"],
  );
  await s.seal(due[0]!);
  const h5 = await loadH5();
  const f = new h5.File(path.join(dir, "2026-12-07.h5"), "r");
  assert.equal(typeof f.attrs["sealed_at"]?.value, "string");
  f.close();
  const late = s.route([D0 + 2_000], (t) => t);
  assert.deepEqual(
    late.map((g) => g.period.id),
    ["2026-12-08"],
  );
  assert.equal(s.lateRows, 1);
  const edit = s.route(
    [D0 + 2_000],
    (t) => t,
    () => true,
  );
  assert.deepEqual(
    edit.map((g) => g.period.id),
    ["2026-12-07"],
    "a delete blanks the row where it is",
  );
  // A new process learns the seal from the file.
  const again = store(dir);
  await again.prepare();
  assert.equal(again.isSealed(parsePeriod("2026-12-07")!), true);
  assert.equal(again.isSealed(parsePeriod("2026-12-08")!), false);
});

test("retention removes sealed partitions older than it, never open ones", async () => {
  const dir = tmp();
  let now = D0 + 40 * DAY;
  const s = store(dir, { retentionMs: 30 * DAY, now: () => now });
  await s.prepare();
  await writeAt(s, [D0, D0 + 5 * DAY, D0 + 38 * DAY, D0 + 39 * DAY + 10_000]);
  for (const p of s.dueForSeal()) await s.seal(p);
  assert.deepEqual(
    s.retire().map((f) => path.basename(f)),
    ["2026-12-07.h5", "2026-12-12.h5"],
    "the periods that ended over 30 days ago",
  );
  now = D0 + 70 * DAY;
  assert.deepEqual(
    s.retire().map((f) => path.basename(f)),
    ["2027-01-14.h5"],
  );
  assert.deepEqual(
    listStore(dir).map((f) => path.basename(f.path)),
    ["2027-01-15.h5"],
    "the open partition stays",
  );
  assert.equal(s.status().partitions, 1);
});

test("a single file of the earlier layout is moved into the folder, read back at a restart, and readers find both", async () => {
  const root = tmp();
  const legacy = path.join(root, "binance.h5");
  await new H5Appender(legacy).append([{ spec: SPEC, data: new Map([["window_start", [1n, 2n]]]) }]);
  const s = store(path.join(root, "binance"), { legacyFile: legacy });
  await s.prepare();
  assert.equal(fs.existsSync(legacy), false);
  const moved = path.join(root, "binance", "before-partitions.h5");
  assert.equal(fs.existsSync(moved), true);
  assert.deepEqual(
    s.restoreFiles().map((f) => f.path),
    [moved],
  );
  await writeAt(s, [D0]);
  assert.deepEqual(
    s.restoreFiles().map((f) => path.basename(f.path)),
    ["before-partitions.h5", "2026-12-07.h5"],
  );
  assert.deepEqual(
    resolveStoreFiles(legacy).map((f) => path.basename(f)),
    ["before-partitions.h5", "2026-12-07.h5"],
    "the earlier setting still names what to read",
  );
});

test("the disk is degraded below 1 GB free, or when the growth fills the free space within a day", () => {
  assert.equal(assess(5e9, 1e9, null, 1e9).state, "ok");
  assert.equal(assess(0.5e9, 1e9, null, 1e9).state, "degraded");
  const soon = assess(5e9, 1e9, 10e9, 1e9);
  assert.equal(soon.state, "degraded");
  assert.match(soon.reason!, /fills in 12\.0 h/);
  assert.equal(assess(5e9, 1e9, 1e9, 1e9).state, "ok");
});
