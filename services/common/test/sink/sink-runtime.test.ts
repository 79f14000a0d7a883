import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import type { TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { silentLogger } from "@cryptostream/common/log/logger";
import { Registry, standardMetrics } from "@cryptostream/common/metrics/registry";
import type { Delivery } from "@cryptostream/common/transport/transport";
import { FakeConsumer, partitionFile, specStore } from "@cryptostream/testkit";
import { ORIGIN_COLUMNS, originColumns } from "@cryptostream/common/sink/origin";
import { sinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import type { AcceptContext, Ready, RestoreContext, SinkModel, Written } from "@cryptostream/common/sink/sink-model";
import { SinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import { WrittenWindows } from "@cryptostream/common/store/written-windows";

/** A toy model: each message "w:<window>" adds 1 to that window; "close:<w>" closes every window before w. */
interface Win {
  start: number;
  count: number;
  complete: boolean;
}
const SPEC: TableSpec = {
  path: "/w",
  columns: [
    { name: "window_start", type: "<i8" },
    { name: "count", type: "<i8" },
    { name: "complete", type: "|u1" },
    ...ORIGIN_COLUMNS,
  ],
  attrs: {},
  chunkRows: 16,
  gzip: 1,
};
class CountModel implements SinkModel<Win> {
  readonly windowTables = [{ path: "/w", keyColumn: "none", defaultKey: "k" }];
  readonly windowRules = { sizeMs: 1, latenessMs: 0 };
  open = new Map<number, Win>();
  closed: Win[] = [];
  written = new WrittenWindows();
  accept(d: Delivery, ctx: AcceptContext) {
    const [kind, n] = d.value.toString().split(":");
    const w = Number(n);
    if (kind === "close") {
      for (const [s, win] of this.open) if (s < w) (this.closed.push(win), this.open.delete(s));
      return;
    }
    if (kind !== "w") return ctx.reject("bad", d.value.toString());
    if (this.written.state("k", w, d.partition, ctx.offset) === "counted") return ctx.replayed();
    const win = this.open.get(w) ?? { start: w, count: 0, complete: true };
    this.open.set(w, win);
    win.count++;
    ctx.hold(`k${w}`);
  }
  /** The times the wall clock was given to the model. */
  ticks: number[] = [];
  tick(now: number) {
    this.ticks.push(now);
  }
  takeReady(): Ready<Win>[] {
    const out = this.closed.map((unit) => ({ key: `k${unit.start}`, unit }));
    this.closed = [];
    return out;
  }
  drainOpen(): Ready<Win>[] {
    const out = [...this.open.values()].map((unit) => ({ key: `k${unit.start}`, unit: { ...unit, complete: false } }));
    this.open.clear();
    return out;
  }
  openWindows() {
    return this.open.size;
  }
  rowTime(unit: Win) {
    return unit.start;
  }
  layout(units: readonly Written<Win>[]) {
    const data = new Map<string, Array<number | bigint>>([
      ["window_start", units.map((u) => BigInt(u.unit.start))],
      ["count", units.map((u) => BigInt(u.unit.count))],
      ["complete", units.map((u) => (u.unit.complete ? 1 : 0))],
      ...originColumns(units.map((u) => u.origin)),
    ]);
    return { writes: [{ spec: SPEC, data }] };
  }
  reset() {
    this.open.clear();
    this.closed = [];
  }
  restore(_files: Parameters<SinkModel<Win>["restore"]>[0], ctx: RestoreContext) {
    this.written = ctx.written;
  }
}

/** An appender whose writes fail while `failing` is set (a full disk), like fs does: with ENOSPC. */
class FlakyAppender extends H5Appender {
  failing = false;
  /** Wall-clock ms each append takes (advances `clock`): a file that takes long to copy. */
  costMs = 0;
  clock: { now: number } | undefined;
  override async append(...args: Parameters<H5Appender["append"]>) {
    if (this.failing) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    if (this.clock) this.clock.now += this.costMs;
    return super.append(...args);
  }
}

function setup(replays: boolean, opts: { maxPendingRows?: number; file?: string; maxWriteShare?: number } = {}) {
  // The store of the setting out.h5 is the folder out/; every toy window is in its first day.
  const base = opts.file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sink-")), "out.h5");
  const file = partitionFile(base, 0);
  const registry = new Registry();
  const metrics = standardMetrics(registry);
  const sink = sinkMetrics(registry);
  const consumer = new FakeConsumer({ replays });
  const appender = new FlakyAppender(file);
  const clock = { now: 1_000 };
  appender.clock = clock;
  const model = new CountModel();
  const rt = new SinkRuntime({
    model,
    store: specStore(base, {
      openAppender: () => appender,
      ...(opts.maxWriteShare !== undefined ? { maxWriteShare: opts.maxWriteShare } : {}),
    }),
    consumer,
    topic: "t",
    log: silentLogger,
    metrics,
    sink,
    flushMs: 0,
    maxPendingRows: opts.maxPendingRows ?? 1_000,
    retry: { baseMs: 1_000, maxMs: 1_000, floorMs: 1_000 },
    tickMs: 0,
    stopRetryMs: 0,
    now: () => clock.now,
    onCrash: (err) => {
      throw err;
    },
  });
  let offset = 0;
  const send = (...values: string[]) =>
    consumer.handleNow(
      values.map((v) => ({
        topic: "t",
        key: undefined,
        value: Buffer.from(v),
        partition: 0,
        offset: String(offset++),
      })),
    );
  return { rt, base, file, consumer, appender, clock, metrics, sink, model, send };
}

async function rows(file: string) {
  const cols = await withFile(file, (f) =>
    readColumns(f, "/w", ["window_start", "count", "complete", "log_offset_first"]),
  );
  if (!cols) return [];
  return cols
    .get("window_start")!
    .map((ws, i) => [
      Number(ws),
      Number(cols.get("count")![i]),
      Number(cols.get("complete")![i]),
      Number(cols.get("log_offset_first")![i]),
    ]);
}

test("a failed write keeps the rows, reports unhealthy, retries with backoff, and writes them in order", async () => {
  const s = await (async () => {
    const s = setup(true);
    await s.rt.start();
    return s;
  })();
  await s.send("w:0", "w:0", "close:10");
  assert.deepEqual(await rows(s.file), [[0, 2, 1, 0]]);
  s.appender.failing = true;
  await s.send("w:10", "close:20");
  assert.equal(s.rt.healthy(), false);
  const st = s.rt.status().sink as Record<string, unknown>;
  assert.equal(st.state, "failing");
  assert.match(String(st.reason), /ENOSPC/);
  assert.equal(st.pendingRows, 1);
  assert.equal(s.sink.flushFailures.total(), 1);
  assert.equal(s.consumer.committed.get(0), 3n, "the commit stays at the first unwritten window");
  await s.send("w:20", "close:30");
  assert.equal(s.sink.flushFailures.total(), 1, "no new attempt before the backoff ran out");
  s.appender.failing = false;
  await s.send("w:30");
  assert.equal(s.rt.healthy(), false, "still waiting for the backoff");
  s.clock.now += 1_000;
  await s.rt.tick();
  assert.equal(s.rt.healthy(), true);
  assert.deepEqual(
    (await rows(s.file)).map((r) => r.slice(0, 3)),
    [
      [0, 2, 1],
      [10, 1, 1],
      [20, 1, 1],
    ],
  );
  assert.equal(s.consumer.committed.get(0), 7n, "committed up to the open window's event");
  await s.rt.stop();
});

test("writes that take long (a big file to copy) space out while input flows: at most maxWriteShare of the time is spent writing", async () => {
  const s = setup(true, { maxWriteShare: 0.25 });
  await s.rt.start();
  s.appender.costMs = 100;
  await s.send("w:0", "close:10");
  assert.deepEqual((await rows(s.file)).length, 1, "the first write is not held back");
  await s.send("w:10", "close:20");
  assert.equal((await rows(s.file)).length, 1, "100 ms of writing: while input flows, the next write waits 300 ms");
  assert.equal(s.consumer.committed.get(0), 2n, "commits wait for the rows");
  for (let i = 0; i < 5; i++) {
    s.clock.now += 50; // input keeps coming, 50 ms apart
    await s.send("w:25");
  }
  assert.equal((await rows(s.file)).length, 1, "250 ms later, still held");
  s.clock.now += 50;
  await s.send("w:25");
  assert.deepEqual(
    (await rows(s.file)).map((r) => r.slice(0, 2)),
    [
      [0, 1],
      [10, 1],
    ],
    "300 ms after the write: due",
  );
  await s.send("close:30");
  assert.equal((await rows(s.file)).length, 2, "held again after the second write");
  s.clock.now += 99;
  await s.rt.tick();
  assert.equal((await rows(s.file)).length, 2);
  s.clock.now += 1;
  await s.rt.tick();
  assert.equal((await rows(s.file)).length, 3, "no input for 100 ms: waiting gains nothing, the write goes out");
  await s.send("w:30", "close:40");
  await s.rt.stop();
  assert.equal((await rows(s.file)).length, 4, "a stop writes at once");
});

test("past maxPendingRows intake pauses, and resumes once a write succeeds", async () => {
  const s = setup(false, { maxPendingRows: 2 });
  await s.rt.start();
  s.appender.failing = true;
  await s.send("w:0", "close:10");
  assert.equal(s.consumer.paused, false);
  await s.send("w:10", "close:20");
  s.clock.now += 1_000;
  await s.send("w:20", "close:30");
  assert.equal(s.consumer.paused, true, "two rows pending behind a failing write: intake paused");
  assert.equal(s.sink.intakePaused.get(), 1);
  s.appender.failing = false;
  s.clock.now += 1_000;
  await s.rt.tick();
  assert.equal(s.consumer.paused, false);
  assert.deepEqual(
    (await rows(s.file)).map((r) => r[0]),
    [0, 10, 20],
  );
  await s.rt.stop();
});

test("a file replaced by garbage is moved aside, never overwritten, and a new file takes the rows", async () => {
  const s = setup(false);
  await s.rt.start();
  await s.send("w:0", "close:10");
  fs.writeFileSync(s.file, "not an HDF5 file at all");
  await s.send("w:10", "close:20");
  assert.equal(s.rt.healthy(), true);
  const aside = fs.readdirSync(path.dirname(s.file)).filter((n) => n.includes(".damaged-"));
  assert.equal(aside.length, 1);
  assert.equal(fs.readFileSync(path.join(path.dirname(s.file), aside[0]!), "utf8"), "not an HDF5 file at all");
  assert.deepEqual(
    (await rows(s.file)).map((r) => r[0]),
    [10],
  );
  assert.equal(s.sink.filesSetAside.total(), 1);
  await s.rt.stop();
});

test("a replay after a crash skips windows in the file and holds commits at open windows", async () => {
  const a = setup(true);
  await a.rt.start();
  await a.send("w:0", "w:10", "close:10", "w:10");
  a.rt.abandon(); // kill -9
  assert.equal(a.consumer.committed.get(0), 1n, "window 10 (offset 1) was open");
  const b = setup(true, { file: a.base });
  await b.rt.start();
  // The log re-delivers from offset 1.
  await b.consumer.handleNow(
    ["w:10", "close:10", "w:10", "close:20"].map((v, i) => ({
      topic: "t",
      key: undefined,
      value: Buffer.from(v),
      partition: 0,
      offset: String(i + 1),
    })),
  );
  assert.deepEqual(
    (await rows(a.file)).map((r) => r.slice(0, 3)),
    [
      [0, 1, 1],
      [10, 2, 1],
    ],
  );
  // Replayed messages count as taken in: the position is the end of the log (a test's "read it all").
  assert.equal(b.sink.logPosition.get({ partition: "0" }), 5);
  await b.rt.stop();
});

test("a rebalance writes open windows as partial rows with their log range; a re-delivery after a failed commit is not counted twice", async () => {
  const s = setup(true);
  await s.rt.start();
  await s.send("w:0", "w:0");
  s.consumer.failCommits();
  await s.consumer.revoke("rebalance");
  assert.deepEqual(await rows(s.file), [[0, 2, 0, 0]]);
  // The commit failed: the log hands offsets 0 and 1 to us again, then more.
  await s.consumer.handleNow(
    ["w:0", "w:0", "w:0", "close:10"].map((v, i) => ({
      topic: "t",
      key: undefined,
      value: Buffer.from(v),
      partition: 0,
      offset: String(i),
    })),
  );
  assert.deepEqual(
    (await rows(s.file)).map((r) => r.slice(0, 3)),
    [
      [0, 2, 0],
      [0, 1, 1],
    ],
    "only offset 2 is new",
  );
  assert.equal(s.metrics.replayed.total(), 2);
  await s.rt.stop();
});

test("over a transport without a log, a restart after a crash marks windows that began before it as partial", async () => {
  const a = setup(false);
  await a.rt.start();
  await a.send("w:0");
  a.rt.abandon();
  const marker = path.join(path.dirname(a.file), "processor.running");
  assert.ok(fs.existsSync(marker), "the run marker stays after a crash");
  const b = setup(false, { file: a.base });
  let crashed: boolean | undefined;
  const restore = b.model.restore.bind(b.model);
  b.model.restore = (file, ctx) => ((crashed = ctx.crashed), restore(file, ctx));
  await b.rt.start();
  assert.equal(crashed, true);
  await b.rt.stop();
  assert.ok(!fs.existsSync(marker), "a graceful stop removes the marker");
});

test("while the transport is away and for transportHoldMs after, the wall clock closes no window", async () => {
  const s = setup(true);
  await s.rt.start();
  const since = new Date(s.clock.now).toISOString();
  s.consumer.link = { state: "connected", since };
  await s.rt.tick();
  assert.deepEqual(s.model.ticks, [1_000]);
  s.consumer.link = { state: "reconnecting", since, error: "No broker available" };
  for (const step of [1_000, 10_000]) {
    s.clock.now += step;
    await s.rt.tick();
  }
  s.consumer.link = { state: "connected", since };
  s.clock.now += 29_000; // 29 s after it was last seen away
  await s.rt.tick();
  s.consumer.link = { state: "rebalancing", since };
  await s.rt.tick();
  assert.deepEqual(s.model.ticks, [1_000], "held: the producers' backlog must not be late");
  s.clock.now += 1_000;
  await s.rt.tick();
  assert.deepEqual(s.model.ticks, [1_000, 42_000], "30 s after the transport came back");
  await s.rt.stop();
});

test("over a log transport the wall clock stops at the broker's last answer", async () => {
  const s = setup(true);
  await s.rt.start();
  s.consumer.contactAt = 1_000;
  s.clock.now = 20_000; // the broker has not answered for 19 s (not yet reported away)
  await s.rt.tick();
  s.consumer.contactAt = 20_500;
  s.clock.now = 21_000;
  await s.rt.tick();
  assert.deepEqual(s.model.ticks, [1_000, 20_500]);
  await s.rt.stop();
});
