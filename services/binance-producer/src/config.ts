import { int, list, oneOf, url } from "@cryptostream/common";

export const DEFAULT_SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];

/** Environment read by the binance-producer (transport variables are read by the transport). */
export const producerEnv = {
  BINANCE_WS_URL: url("wss://stream.binance.com:9443", ["ws", "wss"]),
  BINANCE_SYMBOLS: list(DEFAULT_SYMBOLS, /^[A-Za-z0-9]{2,20}$/),
  BINANCE_STREAM: oneOf(["ticker", "aggtrade"] as const, "ticker"),
  BINANCE_RECONNECT_BASE_MS: int(500, 1),
  BINANCE_RECONNECT_MAX_MS: int(30_000, 1),
  BINANCE_STALE_SECONDS: int(30, 1),
  /** Binance ends every connection at 24 h; roll over a little earlier. */
  BINANCE_MAX_CONNECTION_SECONDS: int(23 * 3600 + 50 * 60, 1),
  /** Events held while the transport cannot take them; the oldest are dropped beyond this. */
  BINANCE_OUTBOX_MAX: int(100_000, 1),
};
