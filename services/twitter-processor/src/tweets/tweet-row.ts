/**
 * One tweet -> one /tweets row: text preprocessing, sentiment, and the
 * fixed-width fields with their overflow decision. Pure; no IO.
 */
import { preprocess, scoreSentiment, type Sentiment } from "../text/index.js";
import type { InputTweet } from "./tweet-input.js";
import { clipUtf8, fitUtf8, type FittedField } from "./utf8-field.js";

export interface FieldWidths {
  readonly id: number;
  readonly lang: number;
  readonly text: number;
  readonly cleaned: number;
}

export interface TweetRow {
  readonly id: string;
  readonly createdAt: number;
  readonly authorId: string;
  readonly lang: string;
  readonly text: FittedField;
  readonly cleaned: FittedField;
  readonly tokenCount: number;
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
    createdAt: t.createdAt,
    authorId: clipUtf8(t.authorId, w.id),
    lang: clipUtf8(t.lang, w.lang),
    text: fitUtf8(t.text, w.text),
    cleaned: fitUtf8(s.cleaned, w.cleaned),
    tokenCount: s.tokenCount,
    sentiment: s.sentiment,
    windowStart,
    inSentiment,
    logPartition: log.partition,
    logOffset: log.offset,
  };
}
