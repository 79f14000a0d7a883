import { int, num, oneOf } from "@cryptostream/common";

/** TWITTER_FLUSH_SECONDS and TWITTER_MAX_PENDING_ROWS (common/sink/sink-config.ts): a flush per batch by default. */
export const SINK_DEFAULTS = { flushSeconds: 0, maxPendingRows: 100_000 };

/** Where the store lives when TWITTER_H5_PATH is unset: the folder data/twitter (common/store/store-config.ts). */
export const DEFAULT_STORE_PATH = "data/twitter.h5";

/** Environment read by the twitter-processor (transport and store variables are read by their modules). */
export const processorEnv = {
  WINDOW_SECONDS: num(60, 0.001, 86_400),
  /**
   * Longer than the market data's 5 s: tweets arrive in polls (every 10 s by
   * default) and the search index lags a few seconds more, so a tweet can be
   * 15-20 s old when it arrives. With 5 s most tweets would be late.
   */
  ALLOWED_LATENESS_SECONDS: num(30, 0, 86_400),
  /**
   * How many of the most recent stored tweet ids are remembered for dedupe
   * (read back from the file at start). Duplicates come from the producer
   * re-fetching recent pages (since_id only moves forward), so they are
   * always recent: a bounded set catches them. See dedupe/recent-ids.ts.
   */
  TWITTER_DEDUPE_IDS: int(500_000, 1, 50_000_000),
  /** Tweets dated further than this ahead of the wall clock are rejected (they would close every window). */
  MAX_FUTURE_SKEW_SECONDS: num(3_600, 0),
  /** Where texts are scored under ZeroMQ: "worker" (a second thread, score/scoring-consumer.ts) or "main". */
  TWITTER_SCORE_THREAD: oneOf(["worker", "main"] as const, "worker"),
};
