/**
 * HDF5 layout of the market aggregates: one table per stream and symbol at
 * `/<stream>/<SYMBOL>`, one row per window. See docs/hdf5-layout.md.
 */

import type { ColumnSpec, TableSpec } from "@cryptostream/common/hdf5/table-schema";
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import { ORIGIN_COLUMNS } from "@cryptostream/common/sink/origin";
import { GAP_FLAG_MEANING } from "../gaps/gap-flags.js";
import type { SymbolTables } from "../aggregate/window-frame.js";
import { type StreamSpec, valueColumns } from "../aggregate/spec.js";

export const MARKET_SCHEMA_VERSION = 3;

const KEY_COLUMNS: ColumnSpec[] = [
  { name: "window_start", type: "<i8" },
  { name: "window_end", type: "<i8" },
  { name: "count", type: "<i8" },
  { name: "event_time_first", type: "<i8" },
  { name: "event_time_last", type: "<i8" },
  { name: "complete", type: "|u1" },
  { name: "gap", type: "|u1" },
];

/** Value columns holding whole numbers (sums of trade counts), stored as int64. */
const INT_VALUE_COLUMNS = new Set(["trade_count"]);

export function marketColumns(spec: StreamSpec): ColumnSpec[] {
  return [
    ...KEY_COLUMNS,
    ...valueColumns(spec).map((name): ColumnSpec => ({ name, type: INT_VALUE_COLUMNS.has(name) ? "<i8" : "<f8" })),
    ...ORIGIN_COLUMNS,
  ];
}

export function marketTableSpec(
  spec: StreamSpec,
  symbol: string,
  windowSeconds: number,
  latenessSeconds: number,
): TableSpec {
  return {
    path: `/${spec.stream}/${symbol}`,
    columns: marketColumns(spec),
    chunkRows: 64,
    gzip: 4,
    attrs: {
      schema_version: MARKET_SCHEMA_VERSION,
      source: `binance spot ${spec.stream} stream (${spec.eventType})`,
      symbol,
      stream: spec.stream,
      window_seconds: windowSeconds,
      allowed_lateness_seconds: latenessSeconds,
      window_time:
        spec.timeField === "T"
          ? "trade time T buckets each trade (as Binance's klines do)"
          : "event time E buckets each event",
      time_unit: "ms since 1970-01-01T00:00:00Z (UTC)",
      window_bounds: "[window_start, window_end)",
      complete_flag:
        "1 = window closed normally; 0 = partial (written at a ZeroMQ stop or a Kafka rebalance, or continuing a window a crash cut): merge rows with equal window_start",
      gap_flag: GAP_FLAG_MEANING,
      empty_windows: spec.fillEmpty
        ? "a window without trades between two trades of the symbol is a row with count 0, prices NaN, event times -1"
        : "windows without events have no row",
      log_range:
        "log_partition, log_offset_first, log_offset_last: the Kafka messages counted (-1 without a log); skip a row whose range lies inside another row's range of the same window and partition",
    },
  };
}

/** One table write per symbol, from the per-symbol columns built by windowFrame. */
export function marketWrites(
  spec: StreamSpec,
  tables: SymbolTables,
  windowSeconds: number,
  latenessSeconds: number,
): TableWrite[] {
  const ints = new Set([
    "window_start",
    "window_end",
    "count",
    "event_time_first",
    "event_time_last",
    "log_offset_first",
    "log_offset_last",
    ...INT_VALUE_COLUMNS,
  ]);
  return [...tables].map(([symbol, cols]) => {
    const data = new Map<string, Array<number | bigint>>();
    for (const [name, values] of cols)
      data.set(name, ints.has(name) ? values.map((v) => BigInt(v)) : (values as number[]));
    return { spec: marketTableSpec(spec, symbol, windowSeconds, latenessSeconds), data };
  });
}
