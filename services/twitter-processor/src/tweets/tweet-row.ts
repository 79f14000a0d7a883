/**
 * One tweet -> one /tweets row: text preprocessing, sentiment, and the
 * fixed-width fields with their overflow decision. Pure; no IO.
 */
import { preprocess, scoreSentiment, type Sentiment } from "../text/index.js";
import { scoredAhead } from "../score/scored-batch.js";
import type { InputTweet } from "./tweet-input.js";
import { clipUtf8, fitUtf8, type FittedField } from "./utf8-field.js";

export interface FieldWidths {
  readonly id: number;
  /** author_id: a tweet's decimal id or a Bluesky DID. */
  readonly author: number;
  readonly source: number;
  readonly uri: number;
  readonly lang: number;
  readonly text: number;
  readonly cleaned: number;
}

export interface TweetRow {
  readonly id: string;
  readonly source: string;
  readonly uri: string;
  readonly createdAt: number;
  readonly authorId: string;
  readonly lang: string;
  /** text, cleaned, tokenCount and deletedAt change when the post is deleted before it is written (blankRow). */
  text: FittedField;
  cleaned: FittedField;
  tokenCount: number;
  /** ms; -1 while the post is not deleted. */
  deletedAt: number;
  readonly sentiment: Sentiment;
  readonly windowStart: number;
  /** False when the tweet's window had already closed (counted as late, not in /sentiment). */
  readonly inSentiment: boolean;
  /** Kafka partition and offset of the message that carried it (-1 without a log). */
  readonly logPartition: number;
  readonly logOffset: number;
}

export interface Scored {
  readonly cleaned: string;
  readonly tokenCount: number;
  readonly sentiment: Sentiment;
}

/** Cleaned tokens for storage; sentiment from the text itself (see text/sentiment.ts for why). */
export function scoreTweet(text: string): Scored {
  return scoredAhead.get(text) ?? scoreNow(text);
}

/** Scores without looking at what the scoring thread computed ahead. */
export function scoreNow(text: string): Scored {
  const { cleaned, tokens } = preprocess(text);
  return { cleaned, tokenCount: tokens.length, sentiment: scoreSentiment(text) };
}

export function buildTweetRow(
  t: InputTweet,
  s: Scored,
  windowStart: number,
  inSentiment: boolean,
  w: FieldWidths,
  log: { readonly partition: number; readonly offset: number } = { partition: -1, offset: -1 },
): TweetRow {
  return {
    id: t.id,
    source: clipUtf8(t.source, w.source),
    uri: clipUtf8(t.uri, w.uri),
    createdAt: t.createdAt,
    authorId: clipUtf8(t.authorId, w.author),
    lang: clipUtf8(t.lang, w.lang),
    text: fitUtf8(t.text, w.text),
    cleaned: fitUtf8(s.cleaned, w.cleaned),
    tokenCount: s.tokenCount,
    deletedAt: -1,
    sentiment: s.sentiment,
    windowStart,
    inSentiment,
    logPartition: log.partition,
    logOffset: log.offset,
  };
}

/** An empty text field (no heap bytes). */
export const EMPTY_FIELD: FittedField = { prefix: "", byteLength: 0, overflow: undefined };

/**
 * The post was deleted upstream: its texts go (scores, labels and the window
 * it counted in stay, so /sentiment still adds up to /tweets).
 */
export function blankRow(row: TweetRow, deletedAt: number): void {
  row.text = EMPTY_FIELD;
  row.cleaned = EMPTY_FIELD;
  row.tokenCount = 0;
  row.deletedAt = deletedAt;
}
