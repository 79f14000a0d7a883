/**
 * Sorts what arrives on a combined-stream connection: market events to
 * publish (keyed by symbol), the serverShutdown notice, replies to our own
 * requests, and malformed frames.
 */

export type Frame =
  | {
      readonly kind: "event";
      readonly symbol: string;
      readonly eventTime: number;
      /** What orders a symbol's events and spots repeats: aggregate trade id `a` (aggTrade), `E` (ticker). */
      readonly seq: number;
    }
  | {
      readonly kind: "kline";
      /** The stream name, e.g. "btcusdt@kline_1m" (one symbol may have several intervals). */
      readonly stream: string;
      readonly symbol: string;
      readonly eventTime: number;
      /** Kline start time `k.t`, and whether the kline is final (`k.x`). */
      readonly openTime: number;
      readonly closed: boolean;
    }
  | {
      /**
       * A gap marker already in the input (a replay of recorded pipeline output carries the
       * markers the producer published then): forwarded as received, keyed by its symbol; the
       * processor validates it.
       */
      readonly kind: "marker";
      readonly symbol: string;
    }
  | { readonly kind: "serverShutdown" }
  | { readonly kind: "reply" }
  | { readonly kind: "malformed"; readonly reason: string };

/** `e` of the producer's own gap markers (gaps/gap-marker.ts). */
const GAP_EVENT_TYPE = "gap";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `klineStreams` are the kline kinds subscribed besides the main stream (e.g. "kline_1m"). */
export function classifyFrame(text: string, expectedStream: string, klineStreams: readonly string[] = []): Frame {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: "malformed", reason: "not JSON" };
  }
  if (!isObject(msg)) return { kind: "malformed", reason: "not a JSON object" };
  if ("id" in msg && ("result" in msg || "error" in msg)) return { kind: "reply" };
  const data = isObject(msg.data) ? msg.data : msg;
  // Market streams send the bare event; the WebSocket API wraps it in "event".
  if (data.e === "serverShutdown" || (isObject(msg.event) && msg.event.e === "serverShutdown"))
    return { kind: "serverShutdown" };
  if (typeof msg.stream !== "string" || !isObject(msg.data))
    return { kind: "malformed", reason: "no stream/data envelope" };
  const stream = msg.stream;
  const isKline = klineStreams.some((k) => stream.endsWith(`@${k}`));
  if (!isKline && !msg.stream.endsWith(`@${expectedStream}`))
    return { kind: "malformed", reason: `unexpected stream ${msg.stream}` };
  if (typeof data.s !== "string" || data.s.length === 0) return { kind: "malformed", reason: "payload has no symbol" };
  if (typeof data.E !== "number") return { kind: "malformed", reason: "payload has no event time" };
  const symbol = data.s.toUpperCase();
  if (data.e === GAP_EVENT_TYPE && !isKline) return { kind: "marker", symbol };
  if (isKline) {
    const k = data.k;
    if (!isObject(k) || typeof k.t !== "number" || typeof k.x !== "boolean")
      return { kind: "malformed", reason: "kline payload has no k.t/k.x" };
    return { kind: "kline", stream, symbol, eventTime: data.E, openTime: k.t, closed: k.x };
  }
  if (expectedStream === "aggTrade") {
    if (!Number.isSafeInteger(data.a)) return { kind: "malformed", reason: "aggTrade payload has no trade id" };
    return { kind: "event", symbol, eventTime: data.E, seq: data.a as number };
  }
  return { kind: "event", symbol, eventTime: data.E, seq: data.E };
}
