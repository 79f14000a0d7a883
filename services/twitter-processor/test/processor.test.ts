import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Delivery } from "@cryptostream/common";
import { FakeConsumer, newestStoreFile, partitionFile } from "@cryptostream/testkit";
import type { PartitionedStore } from "@cryptostream/common/store/partitioned-store";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { periodOf } from "@cryptostream/common/store/layout";
import { readByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { RecentIds } from "@cryptostream/twitter-processor/dedupe/recent-ids";
import { specTwitterProcessor } from "./spec-processor.js";
import {
  TEXT_HEAP_PATH,
  TWEET_COLUMNS,
  TWEETS_PATH,
  TWITTER_SCHEMA_VERSION,
  WIDTHS,
} from "@cryptostream/twitter-processor/sink/tweet-table";
import { scoreSentiment } from "@cryptostream/twitter-processor/text/sentiment";
import { SENTIMENT_PATH } from "@cryptostream/twitter-processor/sink/sentiment-table";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

let offset = 0;
const delivery = (value: Buffer): Delivery => ({
  topic: "twitter",
  key: undefined,
  value,
  partition: 0,
  offset: String(offset++),
});
const response = (tweets: Array<{ id: string; text: string; at: number }>) =>
  pickleCodec.encode({
    // Newest first, as the API serves them.
    data: [...tweets].reverse().map((t) => ({
      id: t.id,
      text: t.text,
      created_at: iso(t.at),
      author_id: "2244994945",
      lang: "en",
      edit_history_tweet_ids: [t.id],
    })),
    meta: { result_count: tweets.length, newest_id: tweets[tweets.length - 1]?.id ?? "0" },
  });

async function makeProcessor(file: string, capacity = 1000) {
  const consumer = new FakeConsumer({ replays: false });
  let clock = T0 + 10_000;
  const ids = new RecentIds(capacity);
  const loaded = { storedRows: 0, readRows: 0, ids };
  const { p, metrics } = specTwitterProcessor(file, consumer, () => clock, {
    ids,
    onIdsLoaded: (c) => Object.assign(loaded, c),
  });
  await p.start();
  const deliver = (batch: readonly Delivery[]) => consumer.deliver(batch);
  return { p, metrics, consumer, loaded, deliver, setClock: (ms: number) => (clock = ms) };
}

const ID = (n: number) => String(1_790_000_000_000_000_000n + BigInt(n));

/** The read-back recipe of docs/hdf5-layout.md, with h5wasm. */
async function readTweets(file: string) {
  return withFile(newestStoreFile(file), (f) => {
    const names = [
      "id",
      "created_at",
      "text",
      "text_bytes",
      "text_heap_offset",
      "cleaned_text",
      "cleaned_bytes",
      "cleaned_heap_offset",
      "sentiment_score",
      "sentiment_pos",
      "sentiment_neu",
      "sentiment_neg",
      "sentiment_label",
      "in_sentiment",
      "window_start",
      "token_count",
    ];
    const c = readColumns(f, TWEETS_PATH, names);
    const n = c.get("id")!.length;
    const full = (field: string, bytesCol: string, offCol: string, i: number): string => {
      const off = Number(c.get(offCol)![i]);
      const len = c.get(bytesCol)![i] as number;
      if (off < 0) {
        const s = c.get(field)![i] as string;
        assert.equal(Buffer.byteLength(s), len, "the fixed field holds exactly text_bytes bytes");
        return s;
      }
      return Buffer.from(readByteHeap(f, TEXT_HEAP_PATH, off, len)).toString("utf8");
    };
    const rows = Array.from({ length: n }, (_, i) => ({
      id: c.get("id")![i] as string,
      createdAt: Number(c.get("created_at")![i]),
      text: full("text", "text_bytes", "text_heap_offset", i),
      cleaned: full("cleaned_text", "cleaned_bytes", "cleaned_heap_offset", i),
      label: c.get("sentiment_label")![i] as string,
      compound: c.get("sentiment_score")![i] as number,
      shares: ["sentiment_pos", "sentiment_neu", "sentiment_neg"].map((k) => c.get(k)![i] as number),
      inSentiment: c.get("in_sentiment")![i] as number,
      windowStart: Number(c.get("window_start")![i]),
      heapOffset: Number(c.get("text_heap_offset")![i]),
    }));
    const s = readColumns(f, SENTIMENT_PATH, [
      "window_start",
      "count",
      "positive",
      "neutral",
      "negative",
      "complete",
      "score_sum",
      "score_mean",
    ]);
    const windows = s.get("window_start")!.map((ws, i) => ({
      windowStart: Number(ws),
      count: Number(s.get("count")![i]),
      scoreSum: s.get("score_sum")![i] as number,
      scoreMean: s.get("score_mean")![i] as number,
      labels: [s.get("positive")![i], s.get("neutral")![i], s.get("negative")![i]].map(Number),
      complete: s.get("complete")![i] as number,
    }));
    const attrs = f.get(TWEETS_PATH) as unknown as { get_attribute(n: string, j: true): unknown };
    return {
      rows,
      windows,
      textWidth: attrs.get_attribute("text_width", true),
      schemaVersion: attrs.get_attribute("schema_version", true),
      hasHeap: f.get(TEXT_HEAP_PATH) !== null,
    };
  });
}

const TEXTS = [
  "Bitcoin is great, love it 🚀🚀",
  "terrible crash, I hate this market",
  "ETH ふつう 日本語のツイート と 中文 混合",
  "a".repeat(WIDTHS.text - 1) + "é", // one byte over the width: the é must not be split
  "👨‍👩‍👧‍👦".repeat(60), // 1500 bytes of ZWJ sequences
  "ends in NUL\u0000",
  "  leading and trailing spaces  ",
  "",
];

test("tweets and windows land in the file, exact texts come back, and bad input is rejected by reason", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-"));
  const file = path.join(dir, "twitter.h5");
  const { p, metrics, consumer, deliver, setClock } = await makeProcessor(file);
  const tweets = TEXTS.map((text, i) => ({ id: ID(i), text, at: T0 + i * 1_000 }));
  const evil = Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from("cos\nsystem\n", "latin1"),
    Buffer.from([0x58, 2, 0, 0, 0]),
    Buffer.from("id"),
    Buffer.from([0x85, 0x52, 0x2e]),
  ]);
  await deliver([
    delivery(response(tweets.slice(0, 5))),
    delivery(Buffer.from("not a pickle")),
    delivery(evil),
    delivery(pickleCodec.encode({ meta: { result_count: 0 } })),
    delivery(pickleCodec.encode({ meta: { result_count: 2 } })),
    delivery(
      pickleCodec.encode({
        data: [
          { id: ID(99), text: "no date" },
          { id: 5, text: "numeric id", created_at: iso(T0) },
        ],
        meta: { result_count: 2 },
      }),
    ),
  ]);
  // Overlapping page: 3 and 4 again (duplicates), plus the rest.
  await deliver([delivery(response(tweets.slice(3)))]);
  // A tweet far after: closes the first window (T0..T0+10 s); then one late into it.
  await deliver([delivery(response([{ id: ID(50), text: "later", at: T0 + 13_000 }]))]);
  await deliver([delivery(response([{ id: ID(51), text: "late but kept", at: T0 + 500 }]))]);
  assert.equal(metrics.rejects.get({ reason: "not_pickle" }), 1);
  assert.equal(metrics.rejects.get({ reason: "unsafe_pickle" }), 1);
  assert.equal(metrics.rejects.get({ reason: "no_data" }), 1);
  assert.equal(metrics.rejects.get({ reason: "bad_tweet" }), 2);
  assert.equal(metrics.rejects.get({ reason: "duplicate" }), 2);
  assert.equal(metrics.rejects.get({ reason: "late_for_window" }), 1);
  assert.equal(metrics.messagesIn.total(), 9);
  assert.equal(metrics.messagesOut.total(), TEXTS.length + 2 + 1, "rows written: every tweet and the closed window");
  assert.equal(metrics.lastEventTime.get(), (T0 + 13_000) / 1000);
  assert.equal(consumer.commits.length, 0, "nothing is committed on a transport without a log");

  setClock(T0 + 60_000);
  await p.stop();
  const got = await readTweets(file);
  assert.ok(got);
  assert.equal(got.textWidth, WIDTHS.text);
  assert.ok(got.hasHeap);
  // Oldest first, exactly once, exact text.
  assert.deepEqual(
    got.rows.map((r) => r.id),
    [...tweets.map((t) => t.id), ID(50), ID(51)],
  );
  assert.deepEqual(
    got.rows.map((r) => r.text),
    [...TEXTS, "later", "late but kept"],
  );
  assert.deepEqual(
    got.rows.map((r) => r.createdAt),
    [...tweets.map((t) => t.at), T0 + 13_000, T0 + 500],
  );
  // Long, ZWJ and NUL texts went to the heap; the rest did not.
  assert.deepEqual(
    got.rows.slice(0, TEXTS.length).map((r) => r.heapOffset >= 0),
    [false, false, false, true, true, true, false, false],
  );
  assert.equal(got.schemaVersion, TWITTER_SCHEMA_VERSION);
  assert.equal(got.rows[0]!.label, "positive");
  assert.equal(got.rows[1]!.label, "negative");
  assert.equal(got.rows[0]!.cleaned, "bitcoin great love");
  // VADER's scores of the text itself (emoji included), not of the cleaned tokens.
  for (const r of got.rows) {
    const want = scoreSentiment(r.text);
    assert.deepEqual(
      [r.compound, ...r.shares, r.label],
      [want.compound, want.pos, want.neu, want.neg, want.label],
      r.text,
    );
  }
  assert.ok(got.rows[0]!.compound > scoreSentiment("Bitcoin is great, love it").compound, "the rockets count");
  assert.deepEqual(
    got.rows.map((r) => r.inSentiment),
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 0],
  );
  assert.deepEqual(
    got.rows.map((r) => r.windowStart),
    [...tweets.map(() => T0), T0 + 10_000, T0],
  );
  // Window 1 closed normally with the 8 on-time tweets; window 2 written at stop as incomplete.
  assert.deepEqual(
    got.windows.map((w) => [w.windowStart, w.count, w.complete]),
    [
      [T0, 8, 1],
      [T0 + 10_000, 1, 0],
    ],
  );
  const onTime = got.rows.filter((r) => r.inSentiment === 1);
  assert.equal(
    got.windows.reduce((s, w) => s + w.count, 0),
    onTime.length,
  );
  for (const w of got.windows) {
    const mine = onTime.filter((r) => r.windowStart === w.windowStart);
    assert.deepEqual(
      w.labels,
      ["positive", "neutral", "negative"].map((l) => mine.filter((r) => r.label === l).length),
    );
    // score_mean is the windows' mean compound score.
    const sum = mine.reduce((a, r) => a + r.compound, 0);
    assert.ok(Math.abs(w.scoreSum - sum) < 1e-12 && Math.abs(w.scoreMean - sum / mine.length) < 1e-12);
  }
  assert.deepEqual(fs.readdirSync(dir), ["twitter"]);
  assert.deepEqual(fs.readdirSync(path.join(dir, "twitter")).sort(), [
    path.basename(partitionFile(file, T0)),
    "all-partitions.hdf5",
  ]);
});

test("after a restart the stored ids are read back and re-sent tweets are skipped", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-"));
  const file = path.join(dir, "twitter.h5");
  const first = await makeProcessor(file);
  const tweets = Array.from({ length: 30 }, (_, i) => ({ id: ID(i), text: `tweet ${i}`, at: T0 + i * 100 }));
  await first.deliver([delivery(response(tweets.slice(0, 20)))]);
  await first.p.stop();

  const second = await makeProcessor(file, 5); // only the 5 newest ids are remembered
  assert.deepEqual([second.loaded.storedRows, second.loaded.readRows, second.loaded.ids.size], [20, 5, 5]);
  assert.ok(second.loaded.ids.has(ID(19)) && second.loaded.ids.has(ID(15)) && !second.loaded.ids.has(ID(14)));
  await second.deliver([delivery(response(tweets.slice(15)))]); // 15..19 again, then 20..29
  await second.p.stop();
  assert.equal(second.metrics.rejects.get({ reason: "duplicate" }), 5);
  const got = await readTweets(file);
  assert.deepEqual(
    got!.rows.map((r) => r.id),
    tweets.map((t) => t.id),
  );
});

test("a failed write marks the processor unhealthy and the rows go with the next successful flush", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-"));
  const { p, deliver } = await makeProcessor(path.join(dir, "twitter.h5"));
  // Swap in an appender whose disk is full, then the real one back.
  const store = (p as unknown as { o: { store: PartitionedStore } }).o.store;
  const real = store.appender.bind(store);
  const good = real(periodOf(T0, "day"));
  store.appender = () =>
    ({
      filePath: good.filePath,
      exists: () => good.exists(),
      readable: () => good.readable(),
      append: () => Promise.reject(new Error("ENOSPC: no space left on device")),
    }) as unknown as H5Appender;
  await deliver([delivery(response([{ id: ID(1), text: "kept in memory", at: T0 }]))]);
  assert.equal(p.healthy(), false);
  store.appender = real;
  await deliver([
    delivery(
      response([
        { id: ID(2), text: "next", at: T0 + 1 },
        { id: ID(1), text: "kept in memory", at: T0 },
      ]),
    ),
  ]);
  assert.equal(p.healthy(), true);
  await p.stop();
  const got = await readTweets(good.filePath);
  assert.deepEqual(
    got!.rows.map((r) => [r.id, r.text]),
    [
      [ID(1), "kept in memory"],
      [ID(2), "next"],
    ],
  );
});

test("a file of the previous schema (AFINN scores, no pos/neu/neg) is moved aside and a new one started", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-"));
  const file = path.join(dir, "twitter.h5");
  // /tweets as schema_version 2 wrote it: the same columns without sentiment_pos, _neu, _neg.
  const v2 = TWEET_COLUMNS.filter((c) => !["sentiment_pos", "sentiment_neu", "sentiment_neg"].includes(c.name));
  assert.equal(v2.length, TWEET_COLUMNS.length - 3);
  const data = new Map(
    v2.map((c) => [
      c.name,
      [c.type.startsWith("S") ? "1" : c.type === "<i8" ? 1n : 0] as Array<number | bigint | string>,
    ]),
  );
  // The partition the new rows go to holds a /tweets of schema 2.
  await new H5Appender(partitionFile(file, T0)).append([
    { spec: { path: TWEETS_PATH, columns: v2, chunkRows: 16, gzip: 1, attrs: { schema_version: 2 } }, data },
  ]);
  const { p, metrics, deliver } = await makeProcessor(file);
  await deliver([delivery(response([{ id: ID(1), text: "great day", at: T0 }]))]);
  await p.stop();
  const storeDir = path.join(dir, "twitter");
  const aside = fs.readdirSync(storeDir).filter((f) => f.startsWith("2024-05-01.h5.old-schema-"));
  assert.equal(aside.length, 1, fs.readdirSync(storeDir).join(", "));
  assert.equal(metrics.rejects.total(), 0);
  const got = await readTweets(file);
  assert.ok(got);
  assert.equal(got.schemaVersion, TWITTER_SCHEMA_VERSION);
  assert.deepEqual(
    got.rows.map((r) => [r.id, r.label]),
    [[ID(1), "positive"]],
  );
});

test("a file of schema 3 (no source, uri or deleted_at; one /sentiment row per window) is moved aside", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "twp-"));
  const file = path.join(dir, "twitter.h5");
  const v3 = TWEET_COLUMNS.filter((c) => !["source", "uri", "deleted_at"].includes(c.name)).map((c) =>
    c.name === "author_id" ? { ...c, type: "S24" as const } : c,
  );
  const data = new Map(
    v3.map((c) => [
      c.name,
      [c.type.startsWith("S") ? "1" : c.type === "<i8" ? 1n : 0] as Array<number | bigint | string>,
    ]),
  );
  await new H5Appender(partitionFile(file, T0)).append([
    { spec: { path: TWEETS_PATH, columns: v3, chunkRows: 16, gzip: 1, attrs: { schema_version: 3 } }, data },
  ]);
  const { p, deliver } = await makeProcessor(file);
  await deliver([delivery(response([{ id: ID(1), text: "great day", at: T0 }]))]);
  await p.stop();
  const storeDir = path.join(dir, "twitter");
  assert.equal(fs.readdirSync(storeDir).filter((f) => f.startsWith("2024-05-01.h5.old-schema-")).length, 1);
  assert.equal((await readTweets(file))?.schemaVersion, 4);
});
