/**
 * Message shapes of the Binance spot market streams, as documented
 * (web-socket-streams: "Individual Symbol Ticker Streams" and "Aggregate
 * Trade Streams"). Prices and quantities are decimal strings; ids and times
 * are integers.
 */

export interface Ticker24hrPayload {
  e: "24hrTicker";
  /** Event time (ms). */
  E: number;
  s: string;
  /** Price change, percent change, weighted average price. */
  p: string;
  P: string;
  w: string;
  /** Price of the last trade before the 24 h window. */
  x: string;
  /** Last price and quantity. */
  c: string;
  Q: string;
  /** Best bid price/quantity, best ask price/quantity. */
  b: string;
  B: string;
  a: string;
  A: string;
  /** Open, high, low prices. */
  o: string;
  h: string;
  l: string;
  /** Base and quote volume. */
  v: string;
  q: string;
  /** Statistics open and close time (ms). */
  O: number;
  C: number;
  /** First and last trade id, number of trades. */
  F: number;
  L: number;
  n: number;
}

export interface AggTradePayload {
  e: "aggTrade";
  E: number;
  s: string;
  /** Aggregate trade id. */
  a: number;
  p: string;
  q: string;
  /** First and last trade id. */
  f: number;
  l: number;
  /** Trade time (ms). */
  T: number;
  /** Is the buyer the market maker? */
  m: boolean;
  /** Ignore (always true on Binance). */
  M: boolean;
}

export type MarketPayload = Ticker24hrPayload | AggTradePayload;

/** The combined-stream wrapper: {"stream": name, "data": payload}. */
export interface CombinedMessage<T = MarketPayload> {
  stream: string;
  data: T;
}

/** Sent on a stream connection before maintenance closes it. */
export interface ServerShutdownEvent {
  e: "serverShutdown";
  E: number;
}
