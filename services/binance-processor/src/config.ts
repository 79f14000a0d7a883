import { list, num, oneOf } from "@cryptostream/common";

export const DEFAULT_SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];

/** BINANCE_FLUSH_SECONDS and BINANCE_MAX_PENDING_ROWS (common/sink/sink-config.ts). */
export const SINK_DEFAULTS = { flushSeconds: 5, maxPendingRows: 50_000 };

/** Where the store lives when BINANCE_H5_PATH is unset: the folder data/binance (common/store/store-config.ts). */
export const DEFAULT_STORE_PATH = "data/binance.h5";

/** Environment read by the binance-processor (transport and store variables are read by their modules). */
export const processorEnv = {
  BINANCE_STREAM: oneOf(["ticker", "aggtrade"] as const, "ticker"),
  /** Symbols to accept; "*" accepts any. */
  BINANCE_SYMBOLS: list(DEFAULT_SYMBOLS, /^(\*|[A-Za-z0-9]{2,20})$/),
  WINDOW_SECONDS: num(60, 0.001, 86_400),
  ALLOWED_LATENESS_SECONDS: num(5, 0, 86_400),
  /** Events dated further than this ahead of the wall clock are rejected (they would close every window). */
  MAX_FUTURE_SKEW_SECONDS: num(3_600, 0),
  /**
   * How events are reduced into window partials: "loop" (each event added to its
   * window in arrival order: fast, and a replay reproduces rows bit for bit) or
   * "dataframe" (a danfojs groupby per micro-batch, like the original's pandas code:
   * about 5x slower, and sums can differ in the last bits with the batching).
   * Closed windows always go through a danfojs DataFrame.
   */
  BINANCE_REDUCER: oneOf(["loop", "dataframe"] as const, "loop"),
};
