/**
 * Turns a decoded Binance message into the numbers the aggregator needs, or
 * a rejection with a reason. Accepts the combined-stream envelope
 * `{"stream": "...", "data": {...}}` and a bare payload.
 */

import { type StreamSpec, toNumber } from "../aggregate/spec.js";

export { toNumber };

export type RejectReason =
  | "not_json"
  | "bad_shape"
  | "wrong_event_type"
  | "bad_event_time"
  | "non_numeric"
  | "unknown_symbol"
  | "late";

export type Parsed =
  | { readonly ok: true; readonly symbol: string; readonly time: number; readonly values: Float64Array }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string };

const reject = (reason: RejectReason, detail: string): Parsed => ({ ok: false, reason, detail });

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `out`, when given, receives the values (and is returned as `values`): the
 * ingest loop reuses one array instead of allocating one per event; the
 * aggregator copies what it keeps.
 */
export function parseMarketMessage(
  msg: unknown,
  spec: StreamSpec,
  symbols: ReadonlySet<string> | null,
  out?: Float64Array,
): Parsed {
  if (!isObject(msg)) return reject("bad_shape", "message is not a JSON object");
  return checkPayload(isObject(msg.data) ? msg.data : msg, spec, symbols, out);
}

/** Validates a payload object (`data` of the envelope) and extracts what the aggregator needs. */
export function checkPayload(
  data: Record<string, unknown>,
  spec: StreamSpec,
  symbols: ReadonlySet<string> | null,
  out?: Float64Array,
): Parsed {
  if (typeof data.e !== "string") return reject("bad_shape", "payload has no event type 'e'");
  if (data.e !== spec.eventType) return reject("wrong_event_type", `expected ${spec.eventType}, got ${data.e}`);
  if (typeof data.s !== "string" || data.s.length === 0) return reject("bad_shape", "payload has no symbol 's'");
  const symbol = data.s.toUpperCase();
  if (symbols && !symbols.has(symbol)) return reject("unknown_symbol", `symbol ${symbol} is not configured`);
  const tf = spec.timeField;
  const time = data[tf];
  if (typeof time !== "number" || !Number.isSafeInteger(time) || time <= 0) {
    return reject("bad_event_time", `time '${tf}' must be a positive integer of ms, got ${JSON.stringify(time)}`);
  }
  const values = out ?? new Float64Array(spec.fields.length);
  for (let i = 0; i < spec.fields.length; i++) {
    const f = spec.fields[i]!;
    const v = f.read ? f.read(data) : toNumber(data[f.source]);
    if (!Number.isFinite(v))
      return reject("non_numeric", `'${f.source}' is not a finite number in ${JSON.stringify(data)}`);
    values[i] = v;
  }
  return { ok: true, symbol, time, values };
}
