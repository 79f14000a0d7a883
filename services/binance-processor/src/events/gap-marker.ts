/**
 * The producer's gap marker (docs/hdf5-layout.md, "/gaps"): a message on the market topic,
 * keyed by symbol, saying that the stream lost (or may have lost) the exchange-time open
 * interval (from, to). Pure: a decoded message in, a marker or a rejection out.
 *
 * `{"stream":"btcusdt@aggTrade","data":{"e":"gap","E":<to>,"s":"BTCUSDT","stream":"btcusdt@aggTrade",
 *   "symbols":[...],"from":<ms>,"to":<ms>,"cause":"drop"|"stale"|"roll-over"|"shutdown",
 *   "filled":true|false,"missing":<int>|null}}`
 */

export const GAP_EVENT_TYPE = "gap";
export const GAP_CAUSES = ["drop", "stale", "roll-over", "shutdown"] as const;
/** What producers send, plus `crash`: recorded by the processor itself after a crash on a transport without a log. */
export type GapCause = (typeof GAP_CAUSES)[number] | "crash";

export interface GapMarker {
  readonly symbol: string;
  /** `<symbol lowercase>@<stream>` as published. */
  readonly stream: string;
  readonly from: number;
  readonly to: number;
  readonly cause: GapCause;
  /** REST backfill delivered the missing trades before the marker. */
  readonly filled: boolean;
  /** Events known missing; -1 when unknown (null in the marker). */
  readonly missing: number;
}

export type ParsedGap =
  | { readonly ok: true; readonly gap: GapMarker }
  | { readonly ok: false; readonly detail: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The payload of a message when it is a gap marker, else undefined. */
export function gapPayload(msg: unknown): Record<string, unknown> | undefined {
  if (!isObject(msg)) return undefined;
  const data = isObject(msg.data) ? msg.data : msg;
  return data.e === GAP_EVENT_TYPE ? data : undefined;
}

const isTime = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

export function parseGapMarker(data: Record<string, unknown>): ParsedGap {
  const bad = (detail: string): ParsedGap => ({ ok: false, detail: `gap marker ${detail}: ${JSON.stringify(data)}` });
  if (typeof data.s !== "string" || !/^[A-Za-z0-9]{1,20}$/.test(data.s)) return bad("has no symbol 's'");
  if (typeof data.stream !== "string" || !/^[a-z0-9]{1,20}@[A-Za-z0-9_]{1,30}$/.test(data.stream))
    return bad("has no stream '<symbol>@<stream>'");
  if (!isTime(data.from) || !isTime(data.to) || data.from > data.to) return bad("needs integer ms from <= to");
  if (typeof data.cause !== "string" || !(GAP_CAUSES as readonly string[]).includes(data.cause))
    return bad(`cause must be one of ${GAP_CAUSES.join(", ")}`);
  if (typeof data.filled !== "boolean") return bad("needs a boolean 'filled'");
  const missing = data.missing;
  if (missing !== null && missing !== undefined && !(Number.isSafeInteger(missing) && (missing as number) >= 0))
    return bad("'missing' must be a non-negative integer or null");
  return {
    ok: true,
    gap: {
      symbol: data.s.toUpperCase(),
      stream: data.stream,
      from: data.from,
      to: data.to,
      cause: data.cause as GapCause,
      filled: data.filled,
      missing: typeof missing === "number" ? missing : -1,
    },
  };
}

/** The stream type of a marker (`btcusdt@aggTrade` -> `aggTrade`). */
export function streamType(gap: GapMarker): string {
  return gap.stream.slice(gap.stream.indexOf("@") + 1);
}
