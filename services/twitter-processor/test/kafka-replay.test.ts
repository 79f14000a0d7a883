/**
 * Exactness over Kafka with a fake consumer: crash (a processor dropped
 * without stop) or graceful stop at every batch boundary, restart with replay
 * from the committed offset, and the file must equal an uninterrupted run's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Delivery } from "@cryptostream/common";
import { FakeConsumer } from "@cryptostream/testkit";
import {
  countedRows,
  dumpFile,
  kafkaProcessor,
  logOf,
  mergedWindows,
  mixedPages,
  responseBytes,
  samplePages,
  T0,
  tweetId,
} from "./kafka-fakes.js";

const LOG = logOf(samplePages());
const ID = tweetId;
const BATCH = 3;
const batchesOf = (ds: readonly Delivery[]): Delivery[][] =>
  Array.from({ length: Math.ceil(ds.length / BATCH) }, (_, i) => ds.slice(i * BATCH, (i + 1) * BATCH));
const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "twp-kafka-")), "twitter.h5");

async function uninterrupted(file: string, log = LOG) {
  const c = new FakeConsumer();
  const { p, metrics } = await kafkaProcessor(file, c);
  for (const b of batchesOf(log)) await c.deliver(b);
  await p.stop();
  return { c, metrics };
}

/** Runs the first `cut` batches, then crashes (drop) or stops, restarts, and replays from the commit. */
async function interrupted(file: string, cut: number, how: "crash" | "stop", log = LOG) {
  const c1 = new FakeConsumer();
  const first = await kafkaProcessor(file, c1);
  for (const b of batchesOf(log).slice(0, cut)) await c1.deliver(b);
  if (how === "stop") await first.p.stop();
  else c1.stopped = true; // kill -9: no flush, no commit, nothing more from this instance
  const from = Number(c1.committed.get(0) ?? 0n);
  const c2 = new FakeConsumer({ committed: c1.committed });
  const second = await kafkaProcessor(file, c2);
  for (const b of batchesOf(log.slice(from))) await c2.deliver(b);
  await second.p.stop();
  return { from, delivered: cut * BATCH, second };
}

test("over Kafka, a crash or a graceful stop at any batch leaves the file equal to an uninterrupted run", async () => {
  const refFile = tmpFile();
  const ref = await uninterrupted(refFile);
  const want = await dumpFile(refFile);
  // The stream is not trivial: windows closed, late and duplicate tweets, heap texts.
  const windows = want.sentiment.get("window_start")!.length;
  assert.ok(windows >= 7, `${windows} windows written`);
  assert.ok(
    want.sentiment.get("complete")!.every((c) => c === 1),
    "no partial rows under Kafka",
  );
  assert.ok(ref.metrics.rejects.get({ reason: "late_for_window" }) >= 3);
  assert.ok(ref.metrics.rejects.get({ reason: "duplicate" }) >= 16);
  assert.ok(want.heap.length > 0);
  assert.deepEqual(
    [...mergedWindows(want)].map(([ws, w]) => [ws, w.count]),
    [...countedRows(want)].filter(([ws]) => ws < T0 + 500_000 - 10_000),
    "every counted /tweets row is in exactly one /sentiment count",
  );

  let lagged = 0;
  let replayed = 0;
  const cuts = batchesOf(LOG).length;
  for (const how of ["crash", "stop"] as const) {
    for (let cut = 1; cut < cuts; cut++) {
      const file = tmpFile();
      const r = await interrupted(file, cut, how);
      const got = await dumpFile(file);
      assert.deepEqual(got.tweets, want.tweets, `${how} after batch ${cut}: /tweets`);
      assert.deepEqual(got.heap, want.heap, `${how} after batch ${cut}: /text_heap`);
      assert.deepEqual(got.sentiment, want.sentiment, `${how} after batch ${cut}: /sentiment`);
      if (r.from < r.delivered) lagged++;
      replayed += r.second.metrics.replayed.total();
    }
  }
  // The cases the design exists for did occur.
  assert.ok(lagged >= cuts, `commits stayed behind the delivered offset at ${lagged} cuts`);
  assert.ok(replayed > 0, `replayed tweets of written windows were dropped (${replayed})`);
  process.stdout.write(
    `kafka replay: ${2 * (cuts - 1)} interrupted runs equal to the uninterrupted one; commits lagged at ${lagged} cuts; ${replayed} replayed tweets dropped\n`,
  );
});

test("a tweet of an open window delivered twice is counted once; its stored row is not written again", async () => {
  const file = tmpFile();
  const c = new FakeConsumer();
  const { p, metrics } = await kafkaProcessor(file, c);
  const log = logOf([
    responseBytes([{ id: ID(1), text: "good", at: T0 + 1_000 }]),
    responseBytes([{ id: ID(2), text: "bad", at: T0 + 2_000 }]),
    responseBytes([{ id: ID(3), text: "closes", at: T0 + 30_000 }]),
  ]);
  await c.deliver(log.slice(0, 2));
  assert.deepEqual(c.committed.get(0), 0n, "offset 0 holds the open window");
  await c.deliver(log.slice(0, 2)); // Kafka redelivers (e.g. kafkajs restarted the consumer)
  assert.equal(metrics.replayed.total(), 2, "a re-delivery is recognised by its offset");
  await c.deliver(log.slice(2));
  assert.deepEqual(c.committed.get(0), 2n, "window [T0, T0+10 s) written; offset 2 holds the open one");
  await p.stop();
  const d = await dumpFile(file);
  assert.deepEqual(d.tweets.get("id"), [ID(1), ID(2), ID(3)]);
  assert.deepEqual(
    [...mergedWindows(d)].map(([ws, w]) => [ws, w.count]),
    [[T0, 2]],
  );
});

test("rebalance: open windows written as partial rows, everything seen committed, later rows merge exactly", async () => {
  const file = tmpFile();
  const c = new FakeConsumer();
  const { p, metrics } = await kafkaProcessor(file, c);
  const log = logOf([
    responseBytes([
      { id: ID(1), text: "good", at: T0 + 1_000 },
      { id: ID(2), text: "bad", at: T0 + 2_000 },
    ]),
    responseBytes([{ id: ID(2), text: "bad", at: T0 + 2_000 }]), // a re-fetched page after the rebalance
    responseBytes([{ id: ID(3), text: "great", at: T0 + 3_000 }]),
    responseBytes([{ id: ID(4), text: "closes", at: T0 + 30_000 }]),
  ]);
  await c.deliver(log.slice(0, 1));
  assert.equal(c.committed.get(0), 0n);
  await c.revoke("rebalance");
  assert.equal(c.committed.get(0), 1n, "everything seen is committed at a rebalance");
  let d = await dumpFile(file);
  assert.deepEqual(
    d.sentiment.get("complete")!.map((x, i) => [Number(d.sentiment.get("count")![i]), x]),
    [[2, 0]],
    "the open window was written as a partial row",
  );
  assert.equal(p.status().openWindows, 0);
  // The same partition stays with us: the window goes on, and ID(2) is not counted twice.
  await c.deliver(log.slice(1));
  assert.equal(metrics.rejects.get({ reason: "duplicate" }), 1);
  await p.stop();
  d = await dumpFile(file);
  assert.deepEqual(
    [...d.sentiment.get("window_start")!].map((ws, i) => [
      Number(ws),
      Number(d.sentiment.get("count")![i]),
      d.sentiment.get("complete")![i],
    ]),
    [
      [T0, 2, 0],
      [T0, 1, 1],
    ],
  );
  assert.deepEqual(
    [...mergedWindows(d)].map(([ws, w]) => [ws, w.count]),
    [...countedRows(d)].filter(([ws]) => ws === T0),
  );

  // A crash after the rebalance, before the window's complete row: the restart
  // must count ID(3) again (stored after the partial row) but not ID(1), ID(2).
  const file2 = tmpFile();
  const c1 = new FakeConsumer();
  const a = await kafkaProcessor(file2, c1);
  await c1.deliver(log.slice(0, 1));
  await c1.revoke("rebalance");
  await c1.deliver(log.slice(1, 3));
  c1.stopped = true; // crash
  const from = Number(c1.committed.get(0));
  assert.equal(from, 2, "offset 2 (ID(3)) holds the still open window");
  const c2 = new FakeConsumer({ committed: c1.committed });
  const b = await kafkaProcessor(file2, c2);
  await c2.deliver(log.slice(from));
  await b.p.stop();
  const d2 = await dumpFile(file2);
  assert.deepEqual(d2.tweets, d.tweets);
  assert.deepEqual(d2.sentiment, d.sentiment);
});

test("under ZeroMQ (no replay) a stop still writes open windows as partial rows", async () => {
  const file = tmpFile();
  const c = new FakeConsumer({ replays: false });
  const { p } = await kafkaProcessor(file, c);
  await c.deliver(logOf([responseBytes([{ id: ID(1), text: "good", at: T0 + 1_000 }])]));
  await p.stop();
  const d = await dumpFile(file);
  assert.deepEqual(d.sentiment.get("complete"), [0]);
});

test("with Bluesky posts and deletes in the log, a crash or stop at any batch leaves the same file", async () => {
  const log = logOf(mixedPages());
  const refFile = tmpFile();
  await uninterrupted(refFile, log);
  const want = await dumpFile(refFile);
  const deleted = want.deletes.get("id")!.length;
  assert.ok(deleted >= 10, `${deleted} deletes recorded`);
  assert.deepEqual(new Set(want.sentiment.get("source")), new Set(["twitter", "bluesky"]));
  const blank = want.tweets.get("deleted_at")!.filter((d) => Number(d) >= 0).length;
  assert.equal(blank, deleted, "each recorded delete blanked one row");
  const cuts = batchesOf(log).length;
  for (const how of ["crash", "stop"] as const) {
    for (let cut = 1; cut < cuts; cut += 2) {
      const file = tmpFile();
      await interrupted(file, cut, how, log);
      const got = await dumpFile(file);
      assert.deepEqual(got.tweets, want.tweets, `${how} after batch ${cut}: /tweets`);
      assert.deepEqual(got.sentiment, want.sentiment, `${how} after batch ${cut}: /sentiment`);
      assert.deepEqual(got.deletes, want.deletes, `${how} after batch ${cut}: /deletes`);
    }
  }
});
