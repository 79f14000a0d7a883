import { ConfigError } from "@cryptostream/common";

/** Binance serves at most this many streams on one connection ("WebSocket Limits"). */
export const MAX_STREAMS_PER_CONNECTION = 1024;

/**
 * The symbols once each (lower case, first spelling wins), checked against Binance's stream
 * limit: a connection asking for more is refused, and the producer would retry it forever.
 */
export function connectionSymbols(symbols: readonly string[], streamsPerSymbol: number): string[] {
  const unique = [...new Set(symbols.map((s) => s.toLowerCase()))];
  const streams = unique.length * streamsPerSymbol;
  if (streams > MAX_STREAMS_PER_CONNECTION)
    throw new ConfigError([
      `BINANCE_SYMBOLS and BINANCE_KLINES ask for ${streams} streams (${unique.length} symbols x ${streamsPerSymbol}); ` +
        `Binance allows at most ${MAX_STREAMS_PER_CONNECTION} on one connection: run a second producer for the rest`,
    ]);
  return unique;
}

/** Builds the combined-stream URL: `<base>/stream?streams=btcusdt@ticker/ethusdt@ticker[/btcusdt@kline_1m...]`. */
export function combinedStreamUrl(
  baseUrl: string,
  symbols: readonly string[],
  stream: string,
  extraStreams: readonly string[] = [],
): string {
  const names = symbols.flatMap((s) => [stream, ...extraStreams].map((k) => `${s.toLowerCase()}@${k}`)).join("/");
  // The host as Binance's docs give it, also when copied with its raw (/ws) or combined (/stream) path.
  const base = baseUrl.replace(/\/+$/, "").replace(/\/(ws|stream)$/, "");
  return `${base}/stream?streams=${names}`;
}
