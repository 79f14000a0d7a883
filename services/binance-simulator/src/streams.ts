/**
 * Binance stream names: "<symbol>@<kind>", symbols lowercase. The simulator
 * produces two kinds; other well-formed names are accepted and stay silent,
 * as Binance does for streams of a market that does not trade.
 */

export const STREAM_KINDS = ["ticker", "aggTrade"] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export interface StreamName {
  /** Normalised name, as it appears in the combined message's "stream" field. */
  readonly name: string;
  /** Lowercase symbol, e.g. "btcusdt". */
  readonly symbol: string;
  /** The kind after "@", e.g. "ticker" or "kline_1m". */
  readonly kind: string;
}

const STREAM_RE = /^([A-Za-z0-9]+)@([A-Za-z0-9_@.]+)$/;

/** Parses one stream name; undefined when it is not of the form symbol@kind. */
export function parseStreamName(raw: string): StreamName | undefined {
  const m = STREAM_RE.exec(raw.trim());
  if (!m || !m[1] || !m[2]) return undefined;
  const symbol = m[1].toLowerCase();
  return { name: `${symbol}@${m[2]}`, symbol, kind: m[2] };
}

/** Splits the `streams` query value ("a@ticker/b@ticker") into names; throws on a bad one. */
export function parseStreamList(raw: string): StreamName[] {
  const out: StreamName[] = [];
  for (const part of raw.split("/")) {
    if (part.trim() === "") continue;
    const s = parseStreamName(part);
    if (!s) throw new Error(`invalid stream name ${JSON.stringify(part)}`);
    out.push(s);
  }
  return out;
}

export function isProducedKind(kind: string): kind is StreamKind {
  return (STREAM_KINDS as readonly string[]).includes(kind);
}
