/**
 * Sorts what arrives on a combined-stream connection: market events to
 * publish (keyed by symbol), the serverShutdown notice, replies to our own
 * requests, and malformed frames.
 */

export type Frame =
  | { readonly kind: "event"; readonly symbol: string; readonly eventTime: number }
  | { readonly kind: "serverShutdown" }
  | { readonly kind: "reply" }
  | { readonly kind: "malformed"; readonly reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function classifyFrame(text: string, expectedStream: string): Frame {
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
  if (!msg.stream.endsWith(`@${expectedStream}`))
    return { kind: "malformed", reason: `unexpected stream ${msg.stream}` };
  if (typeof data.s !== "string" || data.s.length === 0) return { kind: "malformed", reason: "payload has no symbol" };
  if (typeof data.E !== "number") return { kind: "malformed", reason: "payload has no event time" };
  return { kind: "event", symbol: data.s.toUpperCase(), eventTime: data.E };
}
