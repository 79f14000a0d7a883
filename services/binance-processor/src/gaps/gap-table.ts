/**
 * HDF5 layout of the recorded gaps: one row per gap marker at `/gaps`, with the log
 * range of the marker's message so that a Kafka replay does not write it twice.
 * See docs/hdf5-layout.md, "/gaps".
 */
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";
import type { ColumnSpec, TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { ORIGIN_COLUMNS, originColumns, type Origin } from "@cryptostream/common/sink/origin";
import type { GapMarker } from "../events/gap-marker.js";
import { MARKET_SCHEMA_VERSION } from "../sink/market-table.js";
import { GAP_FLAG_MEANING } from "./gap-flags.js";

export const GAPS_PATH = "/gaps";

export const GAP_COLUMNS: readonly ColumnSpec[] = [
  { name: "symbol", type: "S20" },
  { name: "stream", type: "S40" },
  { name: "from", type: "<i8" },
  { name: "to", type: "<i8" },
  { name: "cause", type: "S12" },
  { name: "filled", type: "|u1" },
  { name: "missing", type: "<i8" },
  ...ORIGIN_COLUMNS,
];

export const GAPS_TABLE: TableSpec = {
  path: GAPS_PATH,
  columns: GAP_COLUMNS,
  chunkRows: 64,
  gzip: 4,
  attrs: {
    schema_version: MARKET_SCHEMA_VERSION,
    source: "gap markers of the binance-producer (drop, stale, roll-over, shutdown)",
    time_unit: "ms since 1970-01-01T00:00:00Z (UTC), exchange time",
    bounds: "(from, to): the open interval of exchange time the stream did not deliver live",
    filled: "1 = REST backfill delivered the missing trades before the marker (windows exact); 0 = not filled",
    missing: "events known missing; -1 when unknown",
    gap_flag: GAP_FLAG_MEANING,
    log_range: "log_partition, log_offset_first = log_offset_last: the marker's Kafka message (-1 without a log)",
  },
};

/** The /gaps write of these markers (each with the log origin of its message). */
export function gapWrite(gaps: ReadonlyArray<{ gap: GapMarker; origin: Origin }>): TableWrite {
  const g = gaps.map((x) => x.gap);
  return {
    spec: GAPS_TABLE,
    data: new Map<string, Array<number | bigint | string>>([
      ["symbol", g.map((x) => x.symbol)],
      ["stream", g.map((x) => x.stream)],
      ["from", g.map((x) => BigInt(x.from))],
      ["to", g.map((x) => BigInt(x.to))],
      ["cause", g.map((x) => x.cause)],
      ["filled", g.map((x) => (x.filled ? 1 : 0))],
      ["missing", g.map((x) => BigInt(x.missing))],
      ...originColumns(gaps.map((x) => x.origin)),
    ]),
  };
}

const text = (v: unknown): string =>
  (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)).replace(/\0+$/, "");

/** Every gap the file holds, with its origin (a restart re-flags windows and skips replayed markers). */
export function readGaps(file: H5File): Array<{ gap: GapMarker; origin: Origin }> {
  const ds = file.get(GAPS_PATH) as H5Dataset | null;
  const n = ds?.shape?.[0] ?? 0;
  if (!ds || n === 0) return [];
  const names = (ds.dtype as Array<[string, string]>).map(([name]) => name);
  const at = (row: unknown[], c: string) => row[names.indexOf(c)];
  return (ds.slice([[0, n]]) as unknown[][]).map((r) => ({
    gap: {
      symbol: text(at(r, "symbol")),
      stream: text(at(r, "stream")),
      from: Number(at(r, "from")),
      to: Number(at(r, "to")),
      cause: text(at(r, "cause")) as GapMarker["cause"],
      filled: Number(at(r, "filled")) === 1,
      missing: Number(at(r, "missing")),
    },
    origin: {
      partition: Number(at(r, "log_partition")),
      first: Number(at(r, "log_offset_first")),
      last: Number(at(r, "log_offset_last")),
    },
  }));
}
