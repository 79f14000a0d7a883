import { bool, int, list, num, oneOf, url } from "@cryptostream/common";

export const DEFAULT_SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];

/** Binance's kline intervals (spot "Kline/Candlestick Streams"). */
const KLINE_INTERVAL = /^(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)$/;

/** Environment read by the binance-producer (transport variables are read by the transport). */
export const producerEnv = {
  BINANCE_WS_URL: url("wss://stream.binance.com:9443", ["ws", "wss"]),
  BINANCE_SYMBOLS: list(DEFAULT_SYMBOLS, /^[A-Za-z0-9]{2,20}$/),
  BINANCE_STREAM: oneOf(["ticker", "aggtrade"] as const, "ticker"),
  BINANCE_RECONNECT_BASE_MS: int(500, 1),
  BINANCE_RECONNECT_MAX_MS: int(30_000, 1),
  BINANCE_STALE_SECONDS: int(30, 1),
  /** Binance ends every connection at 24 h; roll over a little earlier. Fractions allowed (tests). */
  BINANCE_MAX_CONNECTION_SECONDS: num(23 * 3600 + 50 * 60, 0.1),
  /** A roll-over's new connection must deliver within this, or the old one is dropped anyway (a gap). */
  BINANCE_ROLLOVER_TIMEOUT_MS: int(10_000, 100),
  /** Events held while the transport cannot take them; the oldest are dropped beyond this. */
  BINANCE_OUTBOX_MAX: int(100_000, 1),
  /** REST base URL for the aggTrade backfill. */
  BINANCE_REST_URL: url("https://api.binance.com", ["http", "https"]),
  /** false: aggTrade gaps are only marked (filled=false), never fetched. */
  BINANCE_BACKFILL: bool(true),
  /** One symbol's backfill after one gap gives up after this long (marker filled=false). */
  BINANCE_BACKFILL_TIMEOUT_MS: int(30_000, 100),
  /** ... or after fetching this many trades. */
  BINANCE_BACKFILL_MAX_TRADES: int(100_000, 1),
  /** Live events of one symbol held while its backfill runs; beyond this the backfill is cut short. */
  BINANCE_BACKFILL_QUEUE_MAX: int(50_000, 1),
  BINANCE_REST_TIMEOUT_MS: int(10_000, 100),
  /** Binance's REQUEST_WEIGHT limit per minute; the backfill waits for the next minute before exceeding it. */
  BINANCE_REST_WEIGHT_LIMIT: int(6000, 4),
  /** Kline intervals to subscribe besides the main stream, e.g. "1m"; closed klines are published. */
  BINANCE_KLINES: list([], KLINE_INTERVAL),
};
