/**
 * What a processor supplies to the sink runtime: the meaning of its input and
 * the layout of its rows. Everything else (consumer lifecycle, flushes,
 * retries, back-pressure, commits, replays, metrics) is the runtime's.
 */
import type { H5File } from "../hdf5/h5.js";
import type { TableWrite } from "../hdf5/appender.js";
import type { Period } from "../store/layout.js";
import type { ResumeFrontier } from "../store/resume-frontier.js";
import type { WindowTable, WrittenWindows } from "../store/written-windows.js";
import type { Delivery } from "../transport/transport.js";
import type { Origin } from "./origin.js";

/** Handed to `accept` for each delivery. */
export interface AcceptContext {
  /** Wall-clock time of the batch. */
  readonly now: number;
  /** True when the transport replays (Kafka): holds and origins matter. */
  readonly replays: boolean;
  /** Offset of the delivery as a number (-1 without a log). */
  readonly offset: number;
  /** The delivery now counts in `key` (a window, or rows not yet written): the commit point waits for it. */
  hold(key: string): void;
  /** Counted, logged (rate-limited) and dropped. */
  reject(reason: string, detail: string): void;
  /** Its effect is already in the file (a log replay after a restart). */
  replayed(): void;
  /** The event time (ms) of an accepted event: the newest goes to pipeline_last_event_time_seconds. */
  eventTime(ms: number): void;
  /**
   * The event time (ms) of a valid event of window key `key` (a symbol, a source), on time or
   * late: the key's watermark on this delivery's partition, carried in the commit's metadata to
   * whoever reads the partition next (SinkModel.resumeWatermark).
   */
  keyTime(key: string, ms: number): void;
}

/** A unit ready to be written: a closed window or a row. `key` is released once it is written. */
export interface Ready<U> {
  readonly key: string;
  readonly unit: U;
}

/** A unit with the log range of the messages it counts (NO_ORIGIN without a log). */
export interface Written<U> {
  readonly key: string;
  readonly unit: U;
  readonly origin: Origin;
}

export interface SinkWrite {
  readonly writes: readonly TableWrite[];
  /** Runs on the open copy of the file before the rows are appended (e.g. a byte heap the rows point into). */
  readonly inTransaction?: (file: H5File) => void;
}

export interface RestoreContext {
  readonly replays: boolean;
  /** "start": process start; "rebuild": after a rebalance or consumer restart, memory was reset. */
  readonly reason: "start" | "rebuild";
  /** The previous run ended without a graceful stop (meaningful when nothing replays). */
  readonly crashed: boolean;
  readonly now: number;
  /**
   * What the store's newest partitions hold of the model's window tables (which windows, and
   * which log ranges of them): filled where the transport replays, empty otherwise.
   */
  readonly written: WrittenWindows;
  /**
   * After a crash on a transport without a log: which windows may miss events the dead run
   * held. One per process run (the same object at every restore); off otherwise.
   */
  readonly frontier: ResumeFrontier;
}

export interface SinkModel<U> {
  /** The tables whose rows say which windows the store holds (read back for RestoreContext.written). */
  readonly windowTables: readonly WindowTable[];
  /** Window length and allowed lateness (ms), for RestoreContext.frontier. */
  readonly windowRules: { readonly sizeMs: number; readonly latenessMs: number };
  accept(d: Delivery, ctx: AcceptContext): void;
  /** The wall clock closes windows of keys that went quiet. */
  tick(now: number): void;
  /** Units ready to write, in the order they must land. */
  takeReady(): Ready<U>[];
  /** Every open window as a partial unit (complete = 0). */
  drainOpen(): Ready<U>[];
  openWindows(): number;
  /** The event time (ms) that places a unit in its partition: a window's start, a row's window. */
  rowTime(unit: U): number;
  /**
   * True for a unit that edits a row already stored (e.g. a delete blanking a post): it goes to
   * the partition of its rowTime while that file exists, even a sealed one.
   */
  editsStored?(unit: U): boolean;
  /** The table writes that append `units` (all bound for the partition of `period`), in order. */
  layout(units: readonly Written<U>[], period: Period): SinkWrite;
  /**
   * Log transports: the watermark the partition's previous reader had for `key` when it last
   * committed (another replica before a rebalance, this one before a restart). Events of windows
   * it closed are late here too; it closes nothing else and counts nothing.
   */
  resumeWatermark?(key: string, ms: number, now: number): void;
  /** After the write of `units` is durable. */
  onWritten?(units: readonly Written<U>[]): void;
  /** Forgets every open window and unwritten unit (a rebuild from the file and the log follows). */
  reset(): void;
  /**
   * Reads back what the store holds: its newest partition files, oldest first (none: an empty
   * store), with what their window tables say (ctx.written). Starts from nothing each time.
   */
  restore(files: readonly H5File[], ctx: RestoreContext): void;
}
