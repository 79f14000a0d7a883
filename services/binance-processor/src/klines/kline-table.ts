/**
 * HDF5 layout of Binance's own closed klines: `/kline/<SYMBOL>`, one row per interval
 * start (open_time), columns named like the aggTrade candle's so the two compare
 * column by column. See docs/hdf5-layout.md, "/kline".
 */
import { KlineStarts } from "./kline-starts.js";
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";
import type { ColumnSpec, TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { ORIGIN_COLUMNS, originColumns, type Origin } from "@cryptostream/common/sink/origin";
import type { Kline } from "../events/kline-event.js";
import { MARKET_SCHEMA_VERSION } from "../sink/market-table.js";

export const KLINE_GROUP = "/kline";

export const KLINE_COLUMNS: readonly ColumnSpec[] = [
  { name: "open_time", type: "<i8" },
  { name: "close_time", type: "<i8" },
  { name: "interval", type: "S8" },
  { name: "open", type: "<f8" },
  { name: "high", type: "<f8" },
  { name: "low", type: "<f8" },
  { name: "close", type: "<f8" },
  { name: "volume", type: "<f8" },
  { name: "quote_volume", type: "<f8" },
  { name: "trade_count", type: "<i8" },
  { name: "taker_buy_volume", type: "<f8" },
  { name: "taker_buy_quote_volume", type: "<f8" },
  ...ORIGIN_COLUMNS,
];

export function klineTableSpec(symbol: string): TableSpec {
  return {
    path: `${KLINE_GROUP}/${symbol}`,
    columns: KLINE_COLUMNS,
    chunkRows: 64,
    gzip: 4,
    attrs: {
      schema_version: MARKET_SCHEMA_VERSION,
      source: "binance spot kline stream (e = kline), closed klines only (k.x = true)",
      symbol,
      time_unit: "ms since 1970-01-01T00:00:00Z (UTC)",
      bounds: "[open_time, close_time] = Binance's k.t, k.T (close_time = open_time + interval - 1)",
      columns:
        "open..taker_buy_quote_volume = k.o, k.h, k.l, k.c, k.v, k.q, k.n, k.V, k.Q; compare with the aggTrade table's row of window_start = open_time",
      once: "one row per open_time (a replayed or repeated kline is not written again)",
    },
  };
}

/** One write per symbol, rows in arrival order. */
export function klineWrites(klines: ReadonlyArray<{ kline: Kline; origin: Origin }>): TableWrite[] {
  const bySymbol = new Map<string, Array<{ kline: Kline; origin: Origin }>>();
  for (const k of klines) {
    const list = bySymbol.get(k.kline.symbol);
    if (list) list.push(k);
    else bySymbol.set(k.kline.symbol, [k]);
  }
  return [...bySymbol].map(([symbol, rows]) => {
    const col = <T>(f: (k: Kline) => T) => rows.map((r) => f(r.kline));
    return {
      spec: klineTableSpec(symbol),
      data: new Map<string, Array<number | bigint | string>>([
        ["open_time", col((k) => BigInt(k.openTime))],
        ["close_time", col((k) => BigInt(k.closeTime))],
        ["interval", col((k) => k.interval)],
        ["open", col((k) => k.open)],
        ["high", col((k) => k.high)],
        ["low", col((k) => k.low)],
        ["close", col((k) => k.close)],
        ["volume", col((k) => k.volume)],
        ["quote_volume", col((k) => k.quoteVolume)],
        ["trade_count", col((k) => BigInt(k.tradeCount))],
        ["taker_buy_volume", col((k) => k.takerBuyVolume)],
        ["taker_buy_quote_volume", col((k) => k.takerBuyQuoteVolume)],
        ...originColumns(rows.map((r) => r.origin)),
      ]),
    };
  });
}

/** symbol -> open_time of every kline the file holds. */
export function readKlineStarts(
  file: H5File,
  paths: readonly string[],
  keep: number,
  out = new KlineStarts(keep),
): KlineStarts {
  for (const path of paths) {
    if (!path.startsWith(`${KLINE_GROUP}/`)) continue;
    const ds = file.get(path) as H5Dataset | null;
    const n = ds?.shape?.[0] ?? 0;
    if (!ds || n === 0) continue;
    const i = (ds.dtype as Array<[string, string]>).findIndex(([name]) => name === "open_time");
    // Only the newest rows are read; the ones before them are known by the largest start among them.
    const from = Math.max(0, n - keep);
    const starts = (ds.slice([[from, n]]) as unknown[][]).map((r) => Number(r[i]));
    const floor = from > 0 ? Number((ds.slice([[from - 1, from]]) as unknown[][])[0]![i]) : -Infinity;
    const symbol = path.slice(KLINE_GROUP.length + 1);
    // Files come oldest first: a newer partition's starts add to what an older one seeded.
    if (out.has(symbol)) for (const t of starts) out.add(symbol, t);
    else out.seed(symbol, starts, floor);
  }
  return out;
}
