/**
 * The deletes the processor has taken: which are recorded in /deletes (read
 * back at start, then as written), which wait to be written, and which were
 * of posts not held (remembered a while, so that a post arriving after its
 * delete is stored blank). Pure apart from `restore`. Policy: docs/hdf5-layout.md,
 * "Deletes".
 */
import type { H5File } from "@cryptostream/common/hdf5/h5";
import { readDeletedIds } from "../dedupe/load-ids.js";
import { RecentIds } from "../dedupe/recent-ids.js";
import type { InputDelete } from "../tweets/delete-input.js";
import { blankRow, type TweetRow } from "../tweets/tweet-row.js";
import { clipUtf8 } from "../tweets/utf8-field.js";
import { DELETES_PATH, type DeleteRecord } from "./deletes-table.js";
import { WIDTHS } from "./tweet-table.js";

/** What became of one delete: applied to a pending or stored row, of a post never held, or recorded already. */
export type DeleteOutcome = "pending" | "stored" | "unknown" | "repeat";

/** The log position of the message that carried a delete (-1 without a log). */
export interface LogAt {
  readonly partition: number;
  readonly offset: number;
}

/** How many deletes of posts not (yet) seen are remembered. */
const UNKNOWN_DELETES = 10_000;

export class DeleteBook {
  private records: DeleteRecord[] = [];
  private readonly unwritten = new Set<string>();
  private readonly recorded: RecentIds;
  private readonly unknown = new Map<string, InputDelete>();

  constructor(capacity: number) {
    this.recorded = new RecentIds(capacity);
  }

  /**
   * One delete: blanks `pendingRow` when the post waits to be written, or
   * records a blanking of the stored row (`stored`) for the next write.
   */
  take(x: InputDelete, pendingRow: TweetRow | undefined, stored: boolean, at: LogAt): DeleteOutcome {
    if (this.unwritten.has(x.id) || this.recorded.has(x.id)) return "repeat";
    if (pendingRow) blankRow(pendingRow, x.deletedAt);
    else if (!stored) {
      if (this.unknown.size >= UNKNOWN_DELETES) this.unknown.delete(this.unknown.keys().next().value!);
      this.unknown.set(x.id, x);
      return "unknown";
    }
    this.record(x, !pendingRow, at);
    return pendingRow ? "pending" : "stored";
  }

  /** A post just taken: blanked, and its delete recorded, when the delete came first. True then. */
  onPost(row: TweetRow, at: LogAt): boolean {
    const early = this.unknown.get(row.id);
    if (!early) return false;
    this.unknown.delete(row.id);
    blankRow(row, early.deletedAt);
    this.record(early, false, at);
    return true;
  }

  private record(x: InputDelete, inFile: boolean, at: LogAt): void {
    this.records.push({
      id: x.id,
      uri: clipUtf8(x.uri, WIDTHS.uri),
      source: x.source,
      deletedAt: x.deletedAt,
      applied: !inFile,
      inFile,
      logPartition: at.partition,
      logOffset: at.offset,
    });
    this.unwritten.add(x.id);
  }

  /** Deletes to write, in order. */
  takeRecords(): DeleteRecord[] {
    const out = this.records;
    this.records = [];
    return out;
  }

  /** The /deletes row of `id` is durable. */
  written(id: string): void {
    this.recorded.add(id);
    this.unwritten.delete(id);
  }

  /** Forgets what is not written (a rebuild from the file and the log follows). */
  reset(): void {
    this.records = [];
    this.unwritten.clear();
  }

  /** Start-up: the deletes the file records. */
  restore(file: H5File): void {
    readDeletedIds(file, DELETES_PATH, this.recorded);
  }
}
