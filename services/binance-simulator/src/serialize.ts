/**
 * Hand-written JSON for the two payload kinds. The output is byte-identical to
 * JSON.stringify (a unit test checks it) but about three times faster, which
 * is what lets one core emit 200k ticker messages a second. Safe because every
 * string field is a decimal number, an uppercase symbol or a stream name,
 * none of which needs escaping; anything else falls back to JSON.stringify.
 */

import type { AggTradePayload, CombinedMessage, MarketPayload, Ticker24hrPayload } from "./payloads.js";

const PLAIN = /^[A-Za-z0-9@_.\-]*$/;

function tickerJson(d: Ticker24hrPayload): string {
  return (
    `{"e":"24hrTicker","E":${d.E},"s":"${d.s}","p":"${d.p}","P":"${d.P}","w":"${d.w}","x":"${d.x}",` +
    `"c":"${d.c}","Q":"${d.Q}","b":"${d.b}","B":"${d.B}","a":"${d.a}","A":"${d.A}","o":"${d.o}",` +
    `"h":"${d.h}","l":"${d.l}","v":"${d.v}","q":"${d.q}","O":${d.O},"C":${d.C},"F":${d.F},"L":${d.L},"n":${d.n}}`
  );
}

function aggTradeJson(d: AggTradePayload): string {
  return (
    `{"e":"aggTrade","E":${d.E},"s":"${d.s}","a":${d.a},"p":"${d.p}","q":"${d.q}",` +
    `"f":${d.f},"l":${d.l},"T":${d.T},"m":${d.m},"M":${d.M}}`
  );
}

/** JSON of a raw payload (what a /ws/<stream> connection receives). */
export function payloadToJson(d: MarketPayload): string {
  if (!PLAIN.test(d.s)) return JSON.stringify(d);
  return d.e === "24hrTicker" ? tickerJson(d) : aggTradeJson(d);
}

/** JSON of a combined-stream message (what a /stream connection receives). */
export function combinedToJson(m: CombinedMessage): string {
  if (!PLAIN.test(m.stream)) return JSON.stringify(m);
  return `{"stream":"${m.stream}","data":${payloadToJson(m.data)}}`;
}
