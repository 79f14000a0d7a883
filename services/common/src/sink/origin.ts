/**
 * Where a row's input came from in the transport's log: the partition and
 * the first and last offset of the messages it counts. Stored with every
 * window row so that a reader (and a restart) can tell when two rows count
 * the same messages: after a rebalance whose commit failed, the partition's
 * next owner counts them again. See docs/hdf5-layout.md, "Merging rows".
 */
import type { ColumnSpec } from "../hdf5/table-schema.js";

export interface Origin {
  /** -1: no log (ZeroMQ), or messages from more than one partition. */
  readonly partition: number;
  readonly first: number;
  readonly last: number;
}

export const NO_ORIGIN: Origin = { partition: -1, first: -1, last: -1 };

/** The columns every window row carries. */
export const ORIGIN_COLUMNS: readonly ColumnSpec[] = [
  { name: "log_partition", type: "<i4" },
  { name: "log_offset_first", type: "<i8" },
  { name: "log_offset_last", type: "<i8" },
];

/** Column values for rows with these origins, keyed like ORIGIN_COLUMNS. */
export function originColumns(origins: readonly Origin[]): Array<[string, Array<number | bigint>]> {
  return [
    ["log_partition", origins.map((o) => o.partition)],
    ["log_offset_first", origins.map((o) => BigInt(o.first))],
    ["log_offset_last", origins.map((o) => BigInt(o.last))],
  ];
}

/** True when `inner` counts only messages that `outer` counts too. */
export function within(inner: Origin, outer: Origin): boolean {
  return (
    inner.partition >= 0 &&
    inner.partition === outer.partition &&
    inner.first >= outer.first &&
    inner.last <= outer.last
  );
}
