/** HDF5 layout of /sentiment: one row per closed (or, at stop, open) window and source. */
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import type { TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { ORIGIN_COLUMNS, originColumns, type Origin } from "@cryptostream/common/sink/origin";
import { scoreMean, type SentimentWindow } from "../sentiment/sentiment-windows.js";
import { commonAttrs, type TableAttrsInput, WIDTHS } from "./tweet-table.js";

export const SENTIMENT_PATH = "/sentiment";

export function sentimentTableSpec(a: TableAttrsInput): TableSpec {
  return {
    path: SENTIMENT_PATH,
    columns: [
      { name: "window_start", type: "<i8" },
      { name: "window_end", type: "<i8" },
      { name: "source", type: `S${WIDTHS.source}` },
      { name: "count", type: "<i8" },
      { name: "score_mean", type: "<f8" },
      { name: "score_sum", type: "<f8" },
      { name: "positive", type: "<i8" },
      { name: "neutral", type: "<i8" },
      { name: "negative", type: "<i8" },
      { name: "complete", type: "|u1" },
      ...ORIGIN_COLUMNS,
    ],
    chunkRows: 256,
    gzip: 4,
    attrs: {
      ...commonAttrs(a),
      window_bounds: "[window_start, window_end), by tweet created_at; one row per window and source",
      window_key:
        "(window_start, source): each source has its own windows (and its own event-time clock); an all-sources value sums count, score_sum and the label counts over sources",
      score_columns:
        "score_sum, score_mean: sum and mean of the counted tweets' sentiment_score (VADER compound); positive, neutral, negative: their label counts",
      complete_flag:
        "1 = window closed normally; 0 = written early (ZeroMQ stop or Kafka rebalance), merge rows with equal window_start and source (sum counts and score_sum)",
      deleted_posts:
        "posts deleted upstream stay counted: a delete blanks the post's text in /tweets and never rewrites a /sentiment row",
      late_tweets: "tweets whose window had closed are in /tweets with in_sentiment = 0 and are not counted here",
      log_range:
        "log_partition, log_offset_first, log_offset_last: the Kafka messages counted (-1 without a log or from several partitions); skip a row whose range lies inside another row's range of the same window and partition",
    },
  };
}

export function sentimentWrite(
  windows: readonly SentimentWindow[],
  a: TableAttrsInput,
  origins: readonly Origin[] = windows.map(() => ({ partition: -1, first: -1, last: -1 })),
): TableWrite {
  const col = <T>(f: (w: SentimentWindow) => T): T[] => windows.map(f);
  return {
    spec: sentimentTableSpec(a),
    data: new Map<string, Array<number | bigint | string>>([
      ["window_start", col((w) => BigInt(w.windowStart))],
      ["window_end", col((w) => BigInt(w.windowEnd))],
      ["source", col((w) => w.source)],
      ["count", col((w) => BigInt(w.count))],
      ["score_mean", col(scoreMean)],
      ["score_sum", col((w) => w.scoreSum)],
      ["positive", col((w) => BigInt(w.positive))],
      ["neutral", col((w) => BigInt(w.neutral))],
      ["negative", col((w) => BigInt(w.negative))],
      ["complete", col((w) => (w.complete ? 1 : 0))],
      ...originColumns(origins),
    ]),
  };
}
