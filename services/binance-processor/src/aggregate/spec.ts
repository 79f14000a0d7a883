/**
 * Which payload values are aggregated, and how, for each Binance stream type.
 * A field's output columns are named `<name>_<op>` unless the field names
 * them itself (the aggTrade candle uses Binance's kline names: open, high,
 * low, close, volume, ...); every field with a mean also keeps its sum so
 * that partial rows of one window can be merged exactly.
 */

export type Op = "first" | "last" | "mean" | "sum" | "min" | "max";

/** The payload object (`data` of the combined-stream envelope). */
export type Payload = Readonly<Record<string, unknown>>;

export interface FieldSpec {
  /** Key in the Binance payload (e.g. "c" for the last price of a ticker), or what `read` derives. */
  readonly source: string;
  /** Column prefix in the output (e.g. "price"). */
  readonly name: string;
  readonly ops: readonly Op[];
  /** Column names by op, where they differ from `<name>_<op>`. */
  readonly columns?: Readonly<{ [K in Op]?: string }>;
  /** Derives the value from the payload (NaN: not usable); default Number(payload[source]). */
  readonly read?: (d: Payload) => number;
}

/** A column computed from two finished columns of the same row: `num / den`. */
export interface RatioSpec {
  readonly name: string;
  readonly num: string;
  readonly den: string;
}

export interface StreamSpec {
  /** Stream suffix in the combined stream name: `<symbol>@<stream>`. */
  readonly stream: "ticker" | "aggTrade";
  /** Value of the payload's `e` field. */
  readonly eventType: string;
  /** Payload field whose time (ms) buckets the event into a window. */
  readonly timeField: "E" | "T";
  readonly fields: readonly FieldSpec[];
  /** Ratio columns after the field columns (the aggTrade VWAP). */
  readonly ratios?: readonly RatioSpec[];
  /** Windows without events between two events of a symbol are written as rows with count 0. */
  readonly fillEmpty: boolean;
}

export const TICKER: StreamSpec = {
  stream: "ticker",
  eventType: "24hrTicker",
  timeField: "E",
  fields: [
    { source: "c", name: "price", ops: ["first", "last", "mean", "min", "max"] },
    { source: "b", name: "bid", ops: ["mean"] },
    { source: "a", name: "ask", ops: ["mean"] },
    { source: "v", name: "volume", ops: ["last"] },
    { source: "q", name: "quote_volume", ops: ["last"] },
  ],
  fillEmpty: false,
};

/** Binance decimals arrive as strings ("43251.37000000"); numbers are accepted too. */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return NaN;
}

/** Price times quantity, one IEEE multiplication of the two parsed decimals (as pandas' `p * q`). */
const quote = (d: Payload): number => toNumber(d.p) * toNumber(d.q);
/** The taker bought when the buyer is not the maker (`m` false); anything but a boolean is unusable. */
const takerBuys = (d: Payload): number => (d.m === false ? 1 : d.m === true ? 0 : NaN);
/** Underlying trades of an aggregate trade: l - f + 1 (ids must be integers, l >= f). */
const underlying = (d: Payload): number =>
  Number.isSafeInteger(d.f) && Number.isSafeInteger(d.l) && (d.l as number) >= (d.f as number)
    ? (d.l as number) - (d.f as number) + 1
    : NaN;

/**
 * The aggTrade candle: what Binance's kline carries (o, h, l, c, v, q, n, V, Q), from the
 * trades bucketed by trade time `T`. `count` (a key column) is the number of aggregate trades.
 */
export const AGG_TRADE: StreamSpec = {
  stream: "aggTrade",
  eventType: "aggTrade",
  timeField: "T",
  fields: [
    {
      source: "p",
      name: "price",
      ops: ["first", "max", "min", "last"],
      columns: { first: "open", max: "high", min: "low", last: "close" },
    },
    { source: "q", name: "volume", ops: ["sum"], columns: { sum: "volume" } },
    { source: "p*q", name: "quote_volume", ops: ["sum"], columns: { sum: "quote_volume" }, read: quote },
    { source: "l-f+1", name: "trade_count", ops: ["sum"], columns: { sum: "trade_count" }, read: underlying },
    {
      source: "q if not m",
      name: "taker_buy_volume",
      ops: ["sum"],
      columns: { sum: "taker_buy_volume" },
      read: (d) => toNumber(d.q) * takerBuys(d),
    },
    {
      source: "p*q if not m",
      name: "taker_buy_quote_volume",
      ops: ["sum"],
      columns: { sum: "taker_buy_quote_volume" },
      read: (d) => quote(d) * takerBuys(d),
    },
  ],
  ratios: [{ name: "vwap", num: "quote_volume", den: "volume" }],
  fillEmpty: true,
};

export const STREAM_SPECS: Readonly<Record<StreamSpec["stream"], StreamSpec>> = {
  ticker: TICKER,
  aggTrade: AGG_TRADE,
};

/** The output column of a field's op. */
export function columnName(f: FieldSpec, op: Op): string {
  return f.columns?.[op] ?? `${f.name}_${op}`;
}

/** The hidden sum column a field with a mean (and no sum) keeps. */
export function needsSum(f: FieldSpec): boolean {
  return f.ops.includes("mean") && !f.ops.includes("sum");
}

/** Output value columns of a spec, in order (mean fields also get `_sum`; ratios last). */
export function valueColumns(spec: StreamSpec): string[] {
  const cols: string[] = [];
  for (const f of spec.fields) {
    for (const op of f.ops) cols.push(columnName(f, op));
    if (needsSum(f)) cols.push(`${f.name}_sum`);
  }
  for (const r of spec.ratios ?? []) cols.push(r.name);
  return cols;
}
