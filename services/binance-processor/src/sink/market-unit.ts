/** What the binance-processor writes: window rows, recorded gaps and Binance's closed klines. */
import type { ClosedWindow } from "../aggregate/market-aggregator.js";
import type { GapMarker } from "../events/gap-marker.js";
import type { Kline } from "../events/kline-event.js";

export type MarketUnit =
  | { readonly kind: "window"; readonly window: ClosedWindow }
  | { readonly kind: "gap"; readonly gap: GapMarker }
  | { readonly kind: "kline"; readonly kline: Kline };
