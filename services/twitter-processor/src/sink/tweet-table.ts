/**
 * HDF5 layout of /tweets (one row per stored tweet) and /text_heap (the
 * overflow bytes of texts the fixed-width fields cannot hold exactly).
 * docs/hdf5-layout.md ("## twitter.h5") has the read-back recipe.
 */
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import type { ByteHeapSpec } from "@cryptostream/common/hdf5/byte-heap";
import type { ColumnValues } from "@cryptostream/common/hdf5/packed-rows";
import type { ColumnData, ColumnSpec, TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD } from "../text/index.js";
import type { FieldWidths, TweetRow } from "../tweets/tweet-row.js";

/**
 * 3: VADER scores (sentiment_score is the compound score; sentiment_pos/neu/neg added).
 * 4: /tweets gains source, uri and deleted_at, author_id widens to whole DIDs; /sentiment
 * rows are per source; /deletes.
 */
export const TWITTER_SCHEMA_VERSION = 4;
export const TWEETS_PATH = "/tweets";
export const TEXT_HEAP_PATH = "/text_heap";

/**
 * 280 characters x 4 bytes covers every tweet of plain letters, CJK or
 * single-code-point emoji; ZWJ emoji sequences and long URLs can exceed it and
 * go to the heap. Cleaned text drops links, mentions, emoji and stopwords, so
 * it is shorter; NFKC expansions that are not go to the heap too. gzip makes
 * the unused padding nearly free on disk.
 */
/**
 * author_id holds a Bluesky DID whole: did:plc: ids are 32 bytes, did:web: ones are
 * "did:web:" plus a host name (at most 253 bytes), 261 in all. A post's at:// uri is
 * "at://" + DID + "/app.bsky.feed.post/" + a 13-character record key: at most 299.
 */
export const WIDTHS: FieldWidths = { id: 24, author: 264, source: 8, uri: 320, lang: 8, text: 1120, cleaned: 560 };

export const TWEET_COLUMNS: readonly ColumnSpec[] = [
  { name: "id", type: `S${WIDTHS.id}` },
  { name: "source", type: `S${WIDTHS.source}` },
  { name: "uri", type: `S${WIDTHS.uri}` },
  { name: "created_at", type: "<i8" },
  { name: "author_id", type: `S${WIDTHS.author}` },
  { name: "lang", type: `S${WIDTHS.lang}` },
  { name: "text", type: `S${WIDTHS.text}` },
  { name: "text_bytes", type: "<i4" },
  { name: "text_heap_offset", type: "<i8" },
  { name: "cleaned_text", type: `S${WIDTHS.cleaned}` },
  { name: "cleaned_bytes", type: "<i4" },
  { name: "cleaned_heap_offset", type: "<i8" },
  { name: "token_count", type: "<i4" },
  { name: "sentiment_score", type: "<f8" },
  { name: "sentiment_pos", type: "<f8" },
  { name: "sentiment_neu", type: "<f8" },
  { name: "sentiment_neg", type: "<f8" },
  { name: "sentiment_label", type: "S8" },
  { name: "window_start", type: "<i8" },
  { name: "in_sentiment", type: "|u1" },
  { name: "log_partition", type: "<i4" },
  { name: "log_offset", type: "<i8" },
  { name: "deleted_at", type: "<i8" },
];

export interface TableAttrsInput {
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
}

export function commonAttrs(a: TableAttrsInput): Record<string, string | number> {
  return {
    schema_version: TWITTER_SCHEMA_VERSION,
    source:
      "twitter api v2 recent search (twitter-producer) and Bluesky Jetstream (bluesky-producer), pickled responses; per row: the source column",
    time_unit: "ms since 1970-01-01T00:00:00Z (UTC)",
    window_seconds: a.windowSeconds,
    allowed_lateness_seconds: a.latenessSeconds,
    positive_threshold: POSITIVE_THRESHOLD,
    negative_threshold: NEGATIVE_THRESHOLD,
    sentiment_model:
      "VADER (port of vaderSentiment 3.3.2, Hutto & Gilbert 2014) with VADER's lexicon plus a crypto supplement; sentiment_score is VADER's compound score in [-1, 1]",
    label_rule: `positive if sentiment_score > ${POSITIVE_THRESHOLD}, negative if < ${NEGATIVE_THRESHOLD}, else neutral`,
    text_width: WIDTHS.text,
    cleaned_text_width: WIDTHS.cleaned,
  };
}

export function tweetsTableSpec(a: TableAttrsInput): TableSpec {
  return {
    path: TWEETS_PATH,
    columns: TWEET_COLUMNS,
    // A row is about 2.4 KB: 256 rows (about 600 KB) keep a chunk inside HDF5's default
    // 1 MiB chunk cache; 512 rows (1.2 MB) did not, which cost every flush 15-25% more CPU
    // in re-reading, re-inflating and re-deflating the partial chunk at the table's end.
    chunkRows: 256,
    gzip: 1,
    attrs: {
      ...commonAttrs(a),
      text_heap: TEXT_HEAP_PATH,
      text_encoding: "utf-8",
      text_read_back:
        "if text_heap_offset >= 0: text = text_heap[off:off+text_bytes] decoded as UTF-8; else text = the text field (its UTF-8 is exactly text_bytes long); same for cleaned_text",
      in_sentiment: "1 = counted in /sentiment; 0 = its window had closed when it arrived (a late tweet)",
      log_offset: "log_partition, log_offset: the Kafka message that carried the tweet (-1 without a log)",
      deleted_at:
        "-1, or when the post was deleted upstream (ms): its text and cleaned_text are then empty (text_bytes 0, no heap bytes) and /deletes has a row; scores stay",
    },
  };
}

export const TEXT_HEAP: ByteHeapSpec = {
  path: TEXT_HEAP_PATH,
  chunkBytes: 64 * 1024,
  gzip: 1,
  attrs: {
    schema_version: TWITTER_SCHEMA_VERSION,
    encoding: "utf-8",
    content:
      "full UTF-8 bytes of /tweets texts that do not fit their fixed field exactly (too long, or holding NUL bytes)",
  },
};

/** A batch of /tweets rows plus the heap bytes they point into. */
export interface TweetBatch {
  readonly write: TableWrite;
  /** Overflow bytes of this batch, concatenated; offsets in the rows are relative until `placeHeap`. */
  readonly heap: Buffer;
  /** Turns the rows' heap offsets absolute once the heap's current length is known (in the transaction). */
  placeHeap(base: number): void;
}

export function tweetBatch(rows: readonly TweetRow[], attrs: TableAttrsInput): TweetBatch {
  const n = rows.length;
  const pieces: Buffer[] = [];
  let heapLength = 0;
  const textRel = new Float64Array(n);
  const cleanedRel = new Float64Array(n);
  const place = (b: Buffer | undefined): number => {
    if (b === undefined) return -1;
    const at = heapLength;
    pieces.push(b);
    heapLength += b.length;
    return at;
  };
  // One array per column, filled in one pass: typed where the column is a number.
  const str = (): string[] => new Array<string>(n);
  const [id, source, uri, authorId, lang, text, cleaned, label] = [
    str(),
    str(),
    str(),
    str(),
    str(),
    str(),
    str(),
    str(),
  ];
  const [createdAt, windowStart, logOffset, deletedAt] = [n, n, n, n].map((k) => new BigInt64Array(k)) as [
    BigInt64Array,
    BigInt64Array,
    BigInt64Array,
    BigInt64Array,
  ];
  const textOffsets = new BigInt64Array(n);
  const cleanedOffsets = new BigInt64Array(n);
  const [textBytes, cleanedBytes, tokenCount, logPartition] = [n, n, n, n].map((k) => new Int32Array(k)) as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  const [score, pos, neu, neg] = [n, n, n, n].map((k) => new Float64Array(k)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const inSentiment = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    textRel[i] = place(r.text.overflow);
    cleanedRel[i] = place(r.cleaned.overflow);
    textOffsets[i] = BigInt(textRel[i]!);
    cleanedOffsets[i] = BigInt(cleanedRel[i]!);
    id[i] = r.id;
    source[i] = r.source;
    uri[i] = r.uri;
    createdAt[i] = BigInt(r.createdAt);
    authorId[i] = r.authorId;
    lang[i] = r.lang;
    text[i] = r.text.prefix;
    textBytes[i] = r.text.byteLength;
    cleaned[i] = r.cleaned.prefix;
    cleanedBytes[i] = r.cleaned.byteLength;
    tokenCount[i] = r.tokenCount;
    score[i] = r.sentiment.compound;
    pos[i] = r.sentiment.pos;
    neu[i] = r.sentiment.neu;
    neg[i] = r.sentiment.neg;
    label[i] = r.sentiment.label;
    windowStart[i] = BigInt(r.windowStart);
    inSentiment[i] = r.inSentiment ? 1 : 0;
    logPartition[i] = r.logPartition;
    logOffset[i] = BigInt(r.logOffset);
    deletedAt[i] = BigInt(r.deletedAt);
  }
  const data: ColumnData = new Map<string, ColumnValues>([
    ["id", id],
    ["source", source],
    ["uri", uri],
    ["created_at", createdAt],
    ["author_id", authorId],
    ["lang", lang],
    ["text", text],
    ["text_bytes", textBytes],
    ["text_heap_offset", textOffsets],
    ["cleaned_text", cleaned],
    ["cleaned_bytes", cleanedBytes],
    ["cleaned_heap_offset", cleanedOffsets],
    ["token_count", tokenCount],
    ["sentiment_score", score],
    ["sentiment_pos", pos],
    ["sentiment_neu", neu],
    ["sentiment_neg", neg],
    ["sentiment_label", label],
    ["window_start", windowStart],
    ["in_sentiment", inSentiment],
    ["log_partition", logPartition],
    ["log_offset", logOffset],
    ["deleted_at", deletedAt],
  ]);
  return {
    write: { spec: tweetsTableSpec(attrs), data },
    heap: Buffer.concat(pieces, heapLength),
    placeHeap(base: number): void {
      for (let i = 0; i < n; i++) {
        if (textRel[i]! >= 0) textOffsets[i] = BigInt(base + textRel[i]!);
        if (cleanedRel[i]! >= 0) cleanedOffsets[i] = BigInt(base + cleanedRel[i]!);
      }
    },
  };
}
