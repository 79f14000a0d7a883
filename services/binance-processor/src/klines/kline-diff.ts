/**
 * Where our aggTrade candles differ from Binance's own klines (pure; used by
 * `npm run inspect`). A kline is compared with the candle row whose window is its interval
 * (window_start = open_time, window_end = close_time + 1), after the candle rows were merged.
 * Prices and volumes agree within a relative tolerance (Binance sums decimals exactly, we sum
 * float64: differences of ~1e-15 relative are rounding, not data); trade counts exactly. An
 * interval without trades is a kline with n = 0 (its prices repeat the previous close) and a
 * candle with count 0 (prices NaN): those agree when both volumes are 0.
 */

export const KLINE_FIELDS = [
  "open",
  "high",
  "low",
  "close",
  "volume",
  "quote_volume",
  "trade_count",
  "taker_buy_volume",
  "taker_buy_quote_volume",
] as const;

export type Row = Readonly<Record<string, number | string>>;

export interface KlineDifference {
  readonly openTime: number;
  /** "no candle": no row of ours for the interval; "differs": columns below. */
  readonly kind: "no candle" | "differs";
  readonly columns: ReadonlyArray<{ readonly name: string; readonly ours: number; readonly binance: number }>;
  /** Our row's gap flag (1 or 2 explains a difference), -1 without a row. */
  readonly gap: number;
}

export interface KlineComparison {
  readonly klines: number;
  readonly compared: number;
  /** Klines whose interval is not a window of the table (WINDOW_SECONDS differs): not compared. */
  readonly otherInterval: number;
  readonly differences: KlineDifference[];
}

const n = (r: Row, c: string) => Number(r[c]);

function agrees(name: string, ours: number, binance: number, relTol: number): boolean {
  if (name === "trade_count") return ours === binance;
  if (Number.isNaN(ours) || Number.isNaN(binance)) return false;
  return Math.abs(ours - binance) <= relTol * Math.max(Math.abs(ours), Math.abs(binance));
}

export function compareWithKlines(candles: readonly Row[], klines: readonly Row[], relTol = 1e-9): KlineComparison {
  const byStart = new Map(candles.map((c) => [n(c, "window_start"), c]));
  const differences: KlineDifference[] = [];
  let compared = 0;
  let otherInterval = 0;
  const windowMs = candles.length > 0 ? n(candles[0]!, "window_end") - n(candles[0]!, "window_start") : undefined;
  for (const k of klines) {
    const openTime = n(k, "open_time");
    if (windowMs !== undefined && n(k, "close_time") + 1 - openTime !== windowMs) {
      otherInterval++;
      continue;
    }
    const c = byStart.get(openTime);
    compared++;
    if (!c) {
      differences.push({ openTime, kind: "no candle", columns: [], gap: -1 });
      continue;
    }
    const empty = n(c, "count") === 0 && n(k, "trade_count") === 0 && n(k, "volume") === 0;
    const columns = empty
      ? []
      : KLINE_FIELDS.filter((f) => !agrees(f, n(c, f), n(k, f), relTol)).map((f) => ({
          name: f,
          ours: n(c, f),
          binance: n(k, f),
        }));
    if (columns.length > 0) differences.push({ openTime, kind: "differs", columns, gap: n(c, "gap") });
  }
  return { klines: klines.length, compared, otherInterval, differences };
}
