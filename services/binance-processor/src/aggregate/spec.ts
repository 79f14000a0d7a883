/**
 * Which payload fields are aggregated, and how, for each Binance stream type.
 * Output columns are named `<name>_<op>`; every field with a mean also keeps
 * its sum so that partial rows of one window can be merged exactly.
 */

export type Op = "first" | "last" | "mean" | "sum" | "min" | "max";

export interface FieldSpec {
  /** Key in the Binance payload (e.g. "c" for the last price of a ticker). */
  readonly source: string;
  /** Column prefix in the output (e.g. "price"). */
  readonly name: string;
  readonly ops: readonly Op[];
}

export interface StreamSpec {
  /** Stream suffix in the combined stream name: `<symbol>@<stream>`. */
  readonly stream: "ticker" | "aggTrade";
  /** Value of the payload's `e` field. */
  readonly eventType: string;
  readonly fields: readonly FieldSpec[];
}

export const TICKER: StreamSpec = {
  stream: "ticker",
  eventType: "24hrTicker",
  fields: [
    { source: "c", name: "price", ops: ["first", "last", "mean", "min", "max"] },
    { source: "b", name: "bid", ops: ["mean"] },
    { source: "a", name: "ask", ops: ["mean"] },
    { source: "v", name: "volume", ops: ["last"] },
    { source: "q", name: "quote_volume", ops: ["last"] },
  ],
};

export const AGG_TRADE: StreamSpec = {
  stream: "aggTrade",
  eventType: "aggTrade",
  fields: [
    { source: "p", name: "price", ops: ["first", "last", "mean", "min", "max"] },
    { source: "q", name: "qty", ops: ["sum"] },
  ],
};

export const STREAM_SPECS: Readonly<Record<StreamSpec["stream"], StreamSpec>> = {
  ticker: TICKER,
  aggTrade: AGG_TRADE,
};

/** Output value columns of a spec, in order (mean fields also get `_sum`). */
export function valueColumns(spec: StreamSpec): string[] {
  const cols: string[] = [];
  for (const f of spec.fields) {
    for (const op of f.ops) cols.push(`${f.name}_${op}`);
    if (f.ops.includes("mean") && !f.ops.includes("sum")) cols.push(`${f.name}_sum`);
  }
  return cols;
}
