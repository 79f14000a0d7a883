/**
 * Binance's own candle (`<symbol>@kline_<interval>` stream, `e: "kline"`), kept beside the
 * candles built from trades so the two can be compared. Pure: payload in, kline or rejection out.
 * Only closed klines (`k.x` true) are kept; an open one is "not yet" rather than wrong.
 */
import { toNumber } from "../aggregate/spec.js";

export const KLINE_EVENT_TYPE = "kline";

export interface Kline {
  readonly symbol: string;
  readonly interval: string;
  /** k.t: interval start, ms. */
  readonly openTime: number;
  /** k.T: interval end, ms (inclusive: start + interval - 1). */
  readonly closeTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly tradeCount: number;
  readonly takerBuyVolume: number;
  readonly takerBuyQuoteVolume: number;
}

export type ParsedKline =
  | { readonly ok: true; readonly kline: Kline }
  | { readonly ok: true; readonly kline: undefined } // not closed yet
  | { readonly ok: false; readonly detail: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseKline(data: Record<string, unknown>): ParsedKline {
  const bad = (detail: string): ParsedKline => ({ ok: false, detail: `kline ${detail}: ${JSON.stringify(data)}` });
  const k = data.k;
  if (typeof data.s !== "string" || data.s.length === 0) return bad("has no symbol 's'");
  if (!isObject(k)) return bad("has no 'k' object");
  if (typeof k.x !== "boolean") return bad("has no boolean 'k.x'");
  if (!k.x) return { ok: true, kline: undefined };
  if (!Number.isSafeInteger(k.t) || !Number.isSafeInteger(k.T) || (k.T as number) < (k.t as number))
    return bad("needs integer ms k.t <= k.T");
  if (!Number.isSafeInteger(k.n) || (k.n as number) < 0) return bad("needs an integer trade count k.n");
  const nums = ["o", "h", "l", "c", "v", "q", "V", "Q"].map((f) => toNumber(k[f]));
  if (!nums.every(Number.isFinite)) return bad("has a non-numeric price or volume");
  const [open, high, low, close, volume, quoteVolume, takerBuyVolume, takerBuyQuoteVolume] = nums as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    ok: true,
    kline: {
      symbol: data.s.toUpperCase(),
      interval: typeof k.i === "string" ? k.i : "",
      openTime: k.t as number,
      closeTime: k.T as number,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume,
      tradeCount: k.n as number,
      takerBuyVolume,
      takerBuyQuoteVolume,
    },
  };
}
