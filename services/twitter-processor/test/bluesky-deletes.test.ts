/**
 * Bluesky posts and deletes through the twitter-processor (fake consumer, real
 * HDF5 file): the source and uri columns, whole DIDs, per-source sentiment
 * windows, and deletes applied to pending rows, stored rows (heap bytes too),
 * unknown posts and repeats, across a restart.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Delivery } from "@cryptostream/common";
import { FakeConsumer, newestStoreFile } from "@cryptostream/testkit";
import { loadH5 } from "@cryptostream/common/hdf5/h5";
import { withFile } from "@cryptostream/common/hdf5/reader";
import { readTableRows, tableAt, type TableRow } from "@cryptostream/common/hdf5/table-rows";
import { pickledDeliveries, specTwitterProcessor } from "./spec-processor.js";
import type { DeleteOutcome } from "@cryptostream/twitter-processor/sink/tweet-model";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
// A did:plc: DID is 32 bytes; a did:web: one can be much longer. Both are stored whole.
const PLC = "did:plc:eygmaihciaxprqvxpfvl6flk";
const WEB = `did:web:${"a".repeat(60)}.example.com`;

const delivery = pickledDeliveries();
const post = (id: string, text: string, at: number, did = PLC) => ({
  id,
  text,
  created_at: iso(at),
  author_id: did,
  lang: "en",
  source: "bluesky",
  uri: `at://${did}/app.bsky.feed.post/r${id}`,
});
const posts = (...items: ReturnType<typeof post>[]) =>
  delivery({ data: items, meta: { result_count: items.length }, source: "bluesky" });
const deletes = (...items: Array<{ id: string; at: number }>) =>
  delivery({
    source: "bluesky",
    deletes: items.map((d) => ({ id: d.id, uri: `at://${PLC}/app.bsky.feed.post/r${d.id}`, deleted_at: iso(d.at) })),
  });
const tweets = (...items: Array<{ id: string; text: string; at: number }>) =>
  delivery({
    data: items.map((t) => ({ id: t.id, text: t.text, created_at: iso(t.at), author_id: "2244994945", lang: "en" })),
    meta: { result_count: items.length },
  });

async function start(file: string, clock = { now: T0 + 10_000 }) {
  const consumer = new FakeConsumer({ replays: false });
  const outcomes: Record<string, number> = {};
  const { p, metrics } = specTwitterProcessor(file, consumer, () => clock.now, {
    onDelete: (o: DeleteOutcome) => (outcomes[o] = (outcomes[o] ?? 0) + 1),
  });
  await p.start();
  return { p, metrics, outcomes, deliver: (b: readonly Delivery[]) => consumer.deliver(b) };
}

async function table(file: string, name: string): Promise<TableRow[]> {
  await loadH5();
  return (
    (await withFile(newestStoreFile(file), (f) => {
      const ds = tableAt(f, name);
      return ds ? readTableRows(f, ds, 0, ds.shape?.[0] ?? 0) : [];
    })) ?? []
  );
}

/** The raw bytes of the heap, to prove a deleted long text left nothing there. */
async function heapText(file: string): Promise<string> {
  await loadH5();
  return (
    (await withFile(newestStoreFile(file), (f) => {
      const ds = tableAt(f, "/text_heap");
      return ds ? Buffer.from(ds.value as Uint8Array).toString("latin1") : "";
    })) ?? ""
  );
}

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "twp-bsky-")), "twitter.h5");

test("bluesky posts keep source, uri and whole DIDs; responses without a source are twitter's", async () => {
  const file = tmpFile();
  const { p, metrics, deliver } = await start(file);
  await deliver([
    posts(post("100678237755847854", "gm $BTC", T0), post("9223372036854775807", "ビットコイン #btc", T0 + 1, WEB)),
    tweets({ id: "77", text: "a tweet", at: T0 + 2 }),
    delivery({ data: [post("5", "x", T0)], meta: { result_count: 1 }, source: "mastodon" }),
  ]);
  assert.equal(metrics.rejects.get({ reason: "bad_source" }), 1, "an unknown source is a counted rejection");
  await p.stop();
  const rows = await table(file, "/tweets");
  assert.deepEqual(
    rows.map((r) => [r.id, r.source, r.author_id, r.uri, r.deleted_at]),
    [
      ["100678237755847854", "bluesky", PLC, `at://${PLC}/app.bsky.feed.post/r100678237755847854`, -1],
      ["9223372036854775807", "bluesky", WEB, `at://${WEB}/app.bsky.feed.post/r9223372036854775807`, -1],
      ["77", "twitter", "2244994945", "", -1],
    ],
  );
});

test("sentiment windows are per source: one row per window and source, each on its own clock", async () => {
  const file = tmpFile();
  const { p, metrics, deliver } = await start(file);
  await deliver([
    posts(post("1", "great gains, love it", T0 + 1_000), post("2", "terrible crash", T0 + 2_000)),
    tweets({ id: "3", text: "good", at: T0 + 3_000 }),
    // Bluesky moves on past its window's end + lateness: only Bluesky's window closes.
    posts(post("4", "bitcoin", T0 + 13_000)),
    // A tweet of the first window arriving now is on time: Twitter's clock has not moved.
    tweets({ id: "5", text: "bad", at: T0 + 4_000 }),
  ]);
  assert.equal(metrics.rejects.get({ reason: "late_for_window" }), 0);
  const early = await table(file, "/sentiment");
  assert.deepEqual(
    early.map((r) => [r.source, r.window_start, r.count]),
    [["bluesky", T0, 2]],
  );
  await p.stop();
  const rows = await table(file, "/sentiment");
  const key = (r: TableRow) => `${r.source}@${Number(r.window_start) - T0}`;
  assert.deepEqual(Object.fromEntries(rows.map((r) => [key(r), [r.count, r.positive, r.neutral, r.negative]])), {
    "bluesky@0": [2, 1, 0, 1],
    "twitter@0": [2, 1, 0, 1],
    "bluesky@10000": [1, 0, 1, 0],
  });
  for (const r of rows) assert.equal(r.score_mean, Number(r.score_sum) / Number(r.count));
});

test("a delete blanks a pending post before it is written and a stored one in the file, heap bytes too", async () => {
  const file = tmpFile();
  const long = `$BTC ${"moon ".repeat(300)}unmistakable-marker`; // longer than the text field: in the heap
  const { p, metrics, outcomes, deliver } = await start(file);
  await deliver([posts(post("10", long, T0), post("11", "keep me bitcoin", T0 + 1))]);
  assert.ok((await heapText(file)).includes("unmistakable-marker"), "the long text went to the heap");
  // 10 is stored; 12 arrives and is deleted in the same batch (pending); 99 was never seen.
  await deliver([
    posts(post("12", "pending then deleted btc", T0 + 2)),
    deletes({ id: "10", at: T0 + 5 }, { id: "12", at: T0 + 6 }, { id: "99", at: T0 + 7 }),
  ]);
  // Sent again (a producer's cursor rewind): recorded already.
  await deliver([deletes({ id: "10", at: T0 + 5 })]);
  assert.deepEqual(outcomes, { stored: 1, pending: 1, unknown: 1, repeat: 1 });
  assert.equal(metrics.rejects.total(), 0, "deletes are not rejections");
  await p.stop();
  const rows = await table(file, "/tweets");
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [id, at] of [
    ["10", T0 + 5],
    ["12", T0 + 6],
  ] as const) {
    const r = byId.get(id)!;
    assert.deepEqual(
      [r.text, r.cleaned_text, r.text_bytes, r.cleaned_bytes, r.text_heap_offset, r.token_count, r.deleted_at],
      ["", "", 0, 0, -1, 0, at],
      `post ${id} is blank`,
    );
    assert.equal(r.in_sentiment, 1, "its window count stays");
  }
  assert.equal(byId.get("11")!.text, "keep me bitcoin");
  assert.equal(byId.get("11")!.deleted_at, -1);
  assert.ok(!(await heapText(file)).includes("marker"), "the heap bytes of the deleted text are zeroed");
  const dels = await table(file, "/deletes");
  assert.deepEqual(
    dels.map((d) => [d.id, d.source, d.deleted_at, d.applied]),
    [
      ["10", "bluesky", T0 + 5, 1],
      ["12", "bluesky", T0 + 6, 1],
    ],
  );
  assert.equal(dels[0]!.uri, `at://${PLC}/app.bsky.feed.post/r10`);
  const sentiment = await table(file, "/sentiment");
  assert.equal(
    sentiment.reduce((a, r) => a + Number(r.count), 0),
    3,
    "deleted posts stay counted",
  );
});

test("after a restart a delete is still applied once, a re-sent post stays blank, and a post arriving after its delete is stored blank", async () => {
  const file = tmpFile();
  const first = await start(file);
  await first.deliver([posts(post("20", "eth pump", T0), post("21", "eth dump", T0 + 1))]);
  await first.deliver([deletes({ id: "20", at: T0 + 3 })]);
  await first.p.stop();
  const second = await start(file);
  await second.deliver([
    deletes({ id: "20", at: T0 + 3 }), // replayed: a no-op
    deletes({ id: "21", at: T0 + 4 }), // stored by the first run: blanked in the file
    posts(post("20", "eth pump", T0)), // re-sent: a duplicate, stays blank
    deletes({ id: "30", at: T0 + 5 }), // not seen yet...
    posts(post("30", "sol late post", T0 + 2)), // ...then it arrives: stored blank
  ]);
  assert.deepEqual(second.outcomes, { repeat: 1, stored: 1, unknown: 1 });
  assert.equal(second.metrics.rejects.get({ reason: "duplicate" }), 1);
  await second.p.stop();
  const rows = await table(file, "/tweets");
  assert.deepEqual(
    rows.map((r) => [r.id, r.text, r.deleted_at]),
    [
      ["20", "", T0 + 3],
      ["21", "", T0 + 4],
      ["30", "", T0 + 5],
    ],
  );
  assert.deepEqual(
    (await table(file, "/deletes")).map((d) => d.id),
    ["20", "21", "30"],
  );
});
