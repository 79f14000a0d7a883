/**
 * The reusable event source for tests and load generators: round-robin over
 * every symbol x stream kind, each call one combined-stream message.
 */

import { createMarket, type Market } from "@cryptostream/binance-simulator/market";
import type { CombinedMessage } from "@cryptostream/binance-simulator/payloads";
import type { StreamKind } from "@cryptostream/binance-simulator/streams";

export interface MarketGeneratorOptions {
  /** Lowercase or uppercase symbols, e.g. ["btcusdt", "ethusdt"]. */
  readonly symbols: readonly string[];
  /** Same seed, same sequence (given the same event times). Default 1. */
  readonly seed?: number;
  /** Which stream kind(s) to produce; default "ticker". */
  readonly stream?: StreamKind | readonly StreamKind[];
}

export interface MarketGenerator {
  /** The stream names in round-robin order, e.g. ["btcusdt@ticker", ...]. */
  readonly streams: readonly string[];
  readonly market: Market;
  /** The next message in round-robin order, stamped with eventTimeMs. */
  next(eventTimeMs: number): CombinedMessage;
}

export function createMarketGenerator(opts: MarketGeneratorOptions): MarketGenerator {
  if (opts.symbols.length === 0) throw new Error("createMarketGenerator needs at least one symbol");
  const kinds: readonly StreamKind[] = typeof opts.stream === "string" ? [opts.stream] : (opts.stream ?? ["ticker"]);
  if (kinds.length === 0) throw new Error("createMarketGenerator needs at least one stream kind");
  const market = createMarket({ symbols: opts.symbols, seed: opts.seed ?? 1 });
  const order: { stream: string; symbol: string; kind: StreamKind }[] = [];
  for (const symbol of market.symbols)
    for (const kind of kinds) order.push({ stream: `${symbol}@${kind}`, symbol, kind });
  let i = 0;

  return {
    streams: order.map((o) => o.stream),
    market,
    next(E) {
      const o = order[i]!;
      i = i + 1 === order.length ? 0 : i + 1;
      const data = o.kind === "ticker" ? market.ticker(o.symbol, E) : market.aggTrade(o.symbol, E);
      return { stream: o.stream, data };
    },
  };
}
