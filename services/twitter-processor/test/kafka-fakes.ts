/**
 * Test support (no test cases here): a fake Kafka consumer over an in-memory
 * log, and a processor wired over it the way main.ts wires it under Kafka.
 */
import { specSinkConfig, newestStoreFile } from "@cryptostream/testkit";
import type { Consumer, Delivery } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { readByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import type { H5Dataset } from "@cryptostream/common/hdf5/h5";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { RecentIds } from "@cryptostream/twitter-processor/dedupe/recent-ids";
import { specTwitterProcessor } from "./spec-processor.js";
import { DELETES_PATH, deletesTableSpec } from "@cryptostream/twitter-processor/sink/deletes-table";
import { SENTIMENT_PATH, sentimentTableSpec } from "@cryptostream/twitter-processor/sink/sentiment-table";
import { TEXT_HEAP_PATH, TWEET_COLUMNS, TWEETS_PATH } from "@cryptostream/twitter-processor/sink/tweet-table";

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

export interface FakeTweet {
  readonly id: string;
  readonly text: string;
  readonly at: number;
}

/** A pickled search response, newest first as the API serves them. */
export function responseBytes(tweets: readonly FakeTweet[]): Buffer {
  return pickleCodec.encode({
    data: [...tweets].reverse().map((t) => ({
      id: t.id,
      text: t.text,
      created_at: new Date(t.at).toISOString(),
      author_id: "2244994945",
      lang: "en",
      edit_history_tweet_ids: [t.id],
    })),
    meta: { result_count: tweets.length, newest_id: tweets.at(-1)?.id ?? "0" },
  });
}

const WORDS = ["love this, great gains", "terrible crash, hate it", "just a tweet about btc", "good 😀"];

export const tweetId = (n: number): string => String(1_790_000_000_000_000_000n + BigInt(n));

/**
 * 24 pages over about 70 s of tweets (10 s windows, 2 s lateness): pages span
 * window edges, every 5th page repeats the previous one (a re-fetched page),
 * every 7th brings a late tweet, and the last one, far ahead, closes all.
 */
export function samplePages(): Buffer[] {
  const pages: FakeTweet[][] = [];
  for (let i = 0; i < 23; i++) {
    if (i % 5 === 4) {
      pages.push(pages[i - 1]!);
      continue;
    }
    const page = Array.from({ length: 4 }, (_, j) => ({
      id: tweetId(i * 10 + j),
      text: `${WORDS[(i + j) % WORDS.length]} #${i}.${j}` + (j === 3 && i % 3 === 0 ? " " + "x".repeat(1200) : ""),
      at: T0 + i * 3_000 + j * 900,
    }));
    if (i % 7 === 6) page.unshift({ id: tweetId(i * 10 + 9), text: "late one", at: T0 + i * 3_000 - 20_000 });
    pages.push(page);
  }
  pages.push([{ id: tweetId(999), text: "far ahead, closes everything", at: T0 + 500_000 }]);
  return pages.map(responseBytes);
}

/** The deliveries of one partition's log, offsets from 0. */
export function logOf(values: readonly Buffer[], partition = 0): Delivery[] {
  return values.map((value, i) => ({ topic: "twitter", key: undefined, value, partition, offset: String(i) }));
}

/** A processor as main.ts builds it (replays follow the consumer: Kafka, or ZeroMQ with replays = false). */
export async function kafkaProcessor(file: string, consumer: Consumer, opts: { topic?: string } = {}) {
  const { p, metrics } = specTwitterProcessor(file, consumer, () => T0 + 10_000, {
    topic: opts.topic ?? "twitter",
    ids: new RecentIds(100_000),
    sink: specSinkConfig({ maxPendingRows: 100_000 }),
  });
  await p.start();
  return { p, metrics };
}

/**
 * samplePages with Bluesky posts and their deletes in between: posts of a
 * second source (own windows), deletes of stored posts, of a post in the same
 * page of the log (pending), of unknown posts, and a delete sent twice.
 */
export function mixedPages(): Buffer[] {
  const tweets = samplePages();
  const out: Buffer[] = [];
  const post = (n: number, at: number) => ({
    id: String(4_000_000_000_000_000_000n + BigInt(n)),
    // Short texts: where a delete meets its post (pending or stored) depends on batch boundaries,
    // and a stored long text leaves zeroed heap bytes where a pending one leaves none.
    text: n % 2 === 0 ? `eth post ${n} great` : `btc ${n} crash, terrible`,
    created_at: new Date(at).toISOString(),
    author_id: "did:plc:eygmaihciaxprqvxpfvl6flk",
    lang: "en",
    uri: `at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/r${n}`,
  });
  const del = (...ns: number[]) =>
    pickleCodec.encode({
      source: "bluesky",
      deletes: ns.map((n) => ({
        id: post(n, T0).id,
        uri: post(n, T0).uri,
        deleted_at: new Date(T0 + n).toISOString(),
      })),
    });
  tweets.forEach((page, i) => {
    out.push(page);
    const items = [0, 1, 2].map((j) => post(i * 3 + j, T0 + i * 3_000 + j * 700));
    out.push(pickleCodec.encode({ data: items, meta: { result_count: 3 }, source: "bluesky" }));
    // A post of this page (pending until the batch is written), one of an earlier page, one never seen.
    if (i % 3 === 2) out.push(del(i * 3 + 1, (i - 2) * 3, 90_000 + i));
    if (i % 6 === 5) out.push(del((i - 2) * 3)); // again: a repeat
  });
  return out;
}

export interface FileDump {
  readonly tweets: Map<string, unknown[]>;
  readonly heap: number[];
  readonly sentiment: Map<string, unknown[]>;
  readonly deletes: Map<string, unknown[]>;
}

/** Every column of /tweets and /sentiment and the whole text heap. */
export async function dumpFile(file: string): Promise<FileDump> {
  const dump = await withFile(newestStoreFile(file), (f) => {
    const heapDs = f.get(TEXT_HEAP_PATH) as H5Dataset | null;
    const heapSize = heapDs?.shape?.[0] ?? 0;
    return {
      tweets: readColumns(
        f,
        TWEETS_PATH,
        TWEET_COLUMNS.map((c) => c.name),
      ),
      heap: heapDs ? [...readByteHeap(f, TEXT_HEAP_PATH, 0, heapSize)] : [],
      sentiment: readColumns(
        f,
        SENTIMENT_PATH,
        sentimentTableSpec({ windowSeconds: 10, latenessSeconds: 2 }).columns.map((c) => c.name),
      ),
      deletes: readColumns(
        f,
        DELETES_PATH,
        deletesTableSpec({ windowSeconds: 10, latenessSeconds: 2 }).columns.map((c) => c.name),
      ),
    };
  });
  if (!dump) throw new Error(`${file} does not exist`);
  return dump;
}

/** /sentiment rows merged by window_start (sums), as readers are told to merge them. */
export function mergedWindows(d: FileDump): Map<number, { count: number; labels: number[] }> {
  const s = d.sentiment;
  const out = new Map<number, { count: number; labels: number[] }>();
  s.get("window_start")!.forEach((ws, i) => {
    const w = out.get(Number(ws)) ?? { count: 0, labels: [0, 0, 0] };
    w.count += Number(s.get("count")![i]);
    ["positive", "neutral", "negative"].forEach((l, k) => (w.labels[k]! += Number(s.get(l)![i])));
    out.set(Number(ws), w);
  });
  return out;
}

/** /tweets rows with in_sentiment = 1, counted per window_start. */
export function countedRows(d: FileDump): Map<number, number> {
  const out = new Map<number, number>();
  d.tweets.get("window_start")!.forEach((ws, i) => {
    if (Number(d.tweets.get("in_sentiment")![i]) === 1) out.set(Number(ws), (out.get(Number(ws)) ?? 0) + 1);
  });
  return out;
}
