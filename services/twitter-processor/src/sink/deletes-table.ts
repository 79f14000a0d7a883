/**
 * HDF5 layout of /deletes: one row per post deleted upstream whose row this
 * file holds (or held while it was pending), so that a reader, a restart and
 * a Kafka replay know the delete was applied. docs/hdf5-layout.md has the policy.
 */
import type { TableWrite } from "@cryptostream/common/hdf5/appender";
import type { TableSpec } from "@cryptostream/common/hdf5/table-schema";
import { commonAttrs, type TableAttrsInput, WIDTHS } from "./tweet-table.js";

export const DELETES_PATH = "/deletes";

export interface DeleteRecord {
  readonly id: string;
  readonly uri: string;
  readonly source: string;
  readonly deletedAt: number;
  /** 1 once the post's /tweets row is blanked; 0 when the file no longer held it (it was set aside). */
  applied: boolean;
  /** The post's row is in the file already: blank it there (in the write's transaction). */
  readonly inFile: boolean;
  readonly logPartition: number;
  readonly logOffset: number;
}

export function deletesTableSpec(a: TableAttrsInput): TableSpec {
  return {
    path: DELETES_PATH,
    columns: [
      { name: "id", type: `S${WIDTHS.id}` },
      { name: "uri", type: `S${WIDTHS.uri}` },
      { name: "source", type: `S${WIDTHS.source}` },
      { name: "deleted_at", type: "<i8" },
      { name: "applied", type: "|u1" },
      { name: "log_partition", type: "<i4" },
      { name: "log_offset", type: "<i8" },
    ],
    chunkRows: 256,
    gzip: 4,
    attrs: {
      ...commonAttrs(a),
      content:
        "posts deleted upstream whose /tweets row this file holds: that row's text and cleaned_text are blank and its deleted_at is set; each id once",
      applied: "1 = the /tweets row was blanked; 0 = the delete came after the file holding the post was set aside",
      log_offset: "log_partition, log_offset: the Kafka message that carried the delete (-1 without a log)",
    },
  };
}

/** The rows of `records`; `applied` is filled in by the transaction that blanks the posts. */
export function deletesWrite(records: readonly DeleteRecord[], a: TableAttrsInput): TableWrite {
  const col = <T>(f: (r: DeleteRecord) => T): T[] => records.map(f);
  return {
    spec: deletesTableSpec(a),
    data: new Map<string, Array<number | bigint | string>>([
      ["id", col((r) => r.id)],
      ["uri", col((r) => r.uri)],
      ["source", col((r) => r.source)],
      ["deleted_at", col((r) => BigInt(r.deletedAt))],
      ["applied", col((r) => (r.applied ? 1 : 0))],
      ["log_partition", col((r) => r.logPartition)],
      ["log_offset", col((r) => BigInt(r.logOffset))],
    ]),
  };
}
