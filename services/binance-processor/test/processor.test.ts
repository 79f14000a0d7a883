import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Consumer, Delivery } from "@cryptostream/common";
import { FakeConsumer, specSinkConfig, newestStoreFile } from "@cryptostream/testkit";
import { specMarketProcessor } from "./spec-processor.js";
import { datasetPaths, readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns } from "@cryptostream/binance-processor/sink/market-table";

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];
const BASE = 1_700_000_000_000;

/** 3 symbols on 2 partitions, one event per symbol per 700 ms: windows of 10 s keep closing. */
function makeLog(n: number): Delivery[] {
  const next = [0, 0];
  return Array.from({ length: n }, (_, i) => {
    const k = i % SYMBOLS.length;
    const partition = k % 2;
    const t = BASE + Math.floor(i / SYMBOLS.length) * 700 + (i % 11 === 0 ? -3_500 : 0);
    const c = (100 + Math.sin(i) * 5).toFixed(2);
    const data = { e: "24hrTicker", E: t, s: SYMBOLS[k], c, b: c, a: c, v: String(i), q: String(2 * i) };
    const value = Buffer.from(JSON.stringify({ stream: `${SYMBOLS[k]!.toLowerCase()}@ticker`, data }));
    return { topic: "binance", key: SYMBOLS[k], value, partition, offset: String(next[partition]!++) };
  });
}

function makeProcessor(file: string, consumer: Consumer, clock = { now: 0 }, flushMs = 0) {
  // The wall clock never closes windows here: event time alone decides.
  return specMarketProcessor(file, consumer, {
    spec: TICKER,
    symbols: SYMBOLS,
    now: () => clock.now,
    overrides: { sink: specSinkConfig({ flushMs }) },
  });
}

async function feed(c: FakeConsumer, log: Delivery[], batch = 25) {
  for (let i = 0; i < log.length; i += batch) await c.deliver(log.slice(i, i + batch));
}

async function dump(file: string) {
  const names = marketColumns(TICKER).map((c) => c.name);
  return withFile(newestStoreFile(file), (f) =>
    Object.fromEntries(datasetPaths(f).map((p) => [p, readColumns(f, p, names)])),
  );
}

test("Kafka: a crash and a replay from the committed offsets leave the file as an uninterrupted run does", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
  const log = makeLog(600);

  const plain = new FakeConsumer();
  const a = await makeProcessor(path.join(dir, "a.h5"), plain);
  await feed(plain, log);
  await a.p.stop();

  const crashy = new FakeConsumer();
  const fileB = path.join(dir, "b.h5");
  const b1 = await makeProcessor(fileB, crashy);
  await feed(crashy, log.slice(0, 350));
  b1.p.abandon(); // a crash: no stop, no flush, no commit
  const from = new Map(crashy.committed);
  assert.ok(from.size === 2, "commits were made during the run");
  const replay = log.filter((d) => BigInt(d.offset) >= (from.get(d.partition) ?? 0n));
  assert.ok(replay.length > 600 - 350, "the replay includes events from before the crash point");
  const restarted = new FakeConsumer();
  const b2 = await makeProcessor(fileB, restarted);
  await feed(restarted, replay);
  await b2.p.stop();
  assert.ok(b2.metrics.replayed.total() > 0, "events of windows already written were recognised as replays");
  const late = (m: typeof a.metrics) => m.rejects.get({ reason: "late" });
  assert.ok(late(a.metrics) > 0, "the log has late events");
  assert.deepEqual(await dump(fileB), await dump(path.join(dir, "a.h5")));
});

test("Kafka: commits never pass an event of a window that is still open", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
  const c = new FakeConsumer();
  const { p } = await makeProcessor(path.join(dir, "c.h5"), c);
  const log = makeLog(90);
  await feed(c, log, 10);
  // Every window still open holds events at or after the committed offset of its partition.
  const rows = await dump(path.join(dir, "c.h5"));
  const written = new Set(
    Object.entries(rows ?? {}).flatMap(([ds, cols]) =>
      cols.get("window_start")!.map((w) => `${ds.split("/")[2]}|${Number(w)}`),
    ),
  );
  for (const d of log) {
    const e = JSON.parse(d.value.toString()).data as { s: string; E: number };
    const w = Math.floor(e.E / 10_000) * 10_000;
    if (!written.has(`${e.s}|${w}`))
      assert.ok(
        BigInt(d.offset) >= c.committed.get(d.partition)!,
        `offset ${d.offset} of an open window is not committed`,
      );
  }
  await p.stop();
});

test("Kafka: a rebalance writes open windows as partial rows and commits everything seen", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
  const c = new FakeConsumer();
  const { p } = await makeProcessor(path.join(dir, "r.h5"), c);
  const log = makeLog(60);
  await feed(c, log);
  await c.revoke("rebalance");
  const rows = await dump(path.join(dir, "r.h5"));
  const complete = Object.values(rows ?? {}).flatMap((cols) => cols.get("complete")!);
  assert.ok(complete.includes(0), "partial rows were written");
  assert.equal(c.committed.get(0), BigInt(log.filter((d) => d.partition === 0).length));
  assert.equal(c.committed.get(1), BigInt(log.filter((d) => d.partition === 1).length));
  await p.stop();
});

test("ZeroMQ: a graceful stop writes open windows as partial rows", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
  const c = new FakeConsumer({ replays: false });
  const { p } = await makeProcessor(path.join(dir, "z.h5"), c);
  await feed(c, makeLog(30));
  await p.stop();
  const rows = await dump(path.join(dir, "z.h5"));
  const complete = Object.values(rows ?? {}).flatMap((cols) => cols.get("complete")!);
  assert.ok(complete.includes(0) && complete.includes(1));
  assert.equal(c.committed.size, 0, "nothing to commit on ZeroMQ");
});

test("closed windows wait up to flushMs to be written together, and commits wait for them", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proc-"));
  const c = new FakeConsumer();
  const clock = { now: 0 };
  const file = path.join(dir, "f.h5");
  const { p, metrics } = await makeProcessor(file, c, clock, 5_000);
  const log = makeLog(120);
  await feed(c, log.slice(0, 60));
  assert.equal(metrics.flushes.total(), 0, "windows closed, but the flush waits");
  const heldBack = new Map(c.committed);
  clock.now = 5_000;
  await feed(c, log.slice(60));
  assert.equal(metrics.flushes.total(), 1, "one flush for all windows closed so far");
  for (const [partition, offset] of c.committed)
    assert.ok(offset > (heldBack.get(partition) ?? -1n), "commits moved after the flush");
  await p.stop();
  assert.ok((await dump(file)) !== undefined);
});

test("Kafka: a partition's new owner resumes the old owner's watermarks from the commit, so an event late there is late here", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bp-"));
  const tick = (offset: number, t: number): Delivery => {
    const data = { e: "24hrTicker", E: t, s: "BTCUSDT", c: "1", b: "1", a: "1", v: "1", q: "1" };
    const value = Buffer.from(JSON.stringify({ stream: "btcusdt@ticker", data }));
    return { topic: "binance", key: "BTCUSDT", value, partition: 0, offset: String(offset) };
  };
  // b counts three events of window [0, 10 s), then one at 13 s closes it (2 s lateness): written, committed.
  const b = new FakeConsumer();
  const owner = await makeProcessor(path.join(dir, "b.h5"), b);
  await b.deliver([tick(0, BASE + 100), tick(1, BASE + 2_000), tick(2, BASE + 9_000), tick(3, BASE + 13_000)]);
  assert.equal(b.committed.get(0), 3n, "window [10 s, 20 s) still holds offset 3");
  assert.ok(b.committedMetadata.get(0), "the commit carries the watermarks");
  // A rebalance: b writes the open window as a partial row and commits everything it saw.
  await b.revoke("rebalance");
  assert.equal(b.committed.get(0), 4n);
  const meta = b.committedMetadata.get(0)!;
  await owner.p.stop();
  // The partition moves to a; its first event is 1.1 s into the window b closed (b rejected such events).
  for (const [name, resumed] of [
    ["a", true],
    ["control", false],
  ] as const) {
    const a = new FakeConsumer({ committed: new Map([[0, 4n]]) });
    const next = await makeProcessor(path.join(dir, `${name}.h5`), a);
    if (resumed) await a.assign([0], new Map([[0, meta]]));
    await a.deliver([tick(4, BASE + 1_100), tick(5, BASE + 25_000), tick(6, BASE + 40_000)]);
    await next.p.stop();
    const rows = (await dump(path.join(dir, `${name}.h5`)))!["/ticker/BTCUSDT"]!;
    const starts = rows.get("window_start")!.map((v) => Number(v) - BASE);
    if (resumed) {
      assert.equal(next.metrics.rejects.get({ reason: "late" }), 1, "late for the new owner too");
      assert.ok(!starts.includes(0), "no row for the window the old owner closed");
    } else assert.ok(starts.includes(0), "without the watermark the new owner counts it (the hole this closes)");
  }
});
