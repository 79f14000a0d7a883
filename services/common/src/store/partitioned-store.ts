/**
 * The processors' store: a folder of HDF5 partition files, one per event-time
 * period (a UTC day by default, or an hour) and replica (layout.ts). It owns
 * what is written where:
 *
 * - routing: a row goes to the file of its period (its window_start), so a
 *   restart or a Kafka replay writes every window into the same file; a row
 *   whose period is sealed goes to the oldest open partition instead (a
 *   late row, counted), except an edit of a stored row (a delete blanking a
 *   post), which goes to the file that holds the row as long as it exists;
 * - cost: each partition has its own copy-on-write appender, so a flush
 *   copies only the partitions it appends to, never the sealed history;
 * - sealing: a period whose end plus the lateness lies behind the newest row
 *   written is sealed (root attribute `sealed_at`) and takes no more rows;
 * - restore: a restart reads back the newest partitions only;
 * - retention: sealed partitions older than the retention are removed;
 * - disk: free space, the store's size and growth, degraded before it fills;
 * - upgrade: a single file of the earlier layout is moved in, sealed as is;
 * - read-back: which windows (and log ranges) the newest partitions hold;
 * - failures: a file that is not readable HDF5, or holds tables of another
 *   schema, is renamed aside (never overwritten) and a new one starts;
 * - the run marker: whether the previous run stopped cleanly;
 * - the write share: how often the open partition may be copied;
 * - the index: `all-partitions.hdf5` (a replica's: `all-partitions.<replica>.hdf5`), one
 *   external link per partition file named by its period, so that h5py or HDFView opens the
 *   whole store as one file (`f["2026-12-07/ticker/BTCUSDT"]`).
 */
import fs from "node:fs";
import path from "node:path";
import { H5Appender, SchemaMismatchError } from "../hdf5/appender.js";
import { loadH5, type H5File } from "../hdf5/h5.js";
import { datasetPaths } from "../hdf5/reader.js";
import type { Logger } from "../log/logger.js";
import {
  LEGACY_STEM,
  listStore,
  type PartitionSpan,
  type Period,
  parseStoreFileName,
  partitionFileName,
  periodOf,
  safeReplica,
  type StoreFile,
} from "./layout.js";
import { DiskWatch, type DiskStatus } from "./disk-watch.js";
import { RunMarker } from "./run-marker.js";
import { readWindowTables, type WindowTable, WrittenWindows } from "./written-windows.js";

export interface StoreOptions {
  /** The store folder. */
  readonly dir: string;
  readonly span: PartitionSpan;
  /** "" for a single processor. */
  readonly replicaId: string;
  /** A period is sealed once rows this far past its end have been written. */
  readonly latenessMs: number;
  /** Sealed partitions whose period ended longer ago than this (wall clock) are removed; 0 keeps everything. */
  readonly retentionMs: number;
  /** A single file of the earlier layout, moved into the folder at start when it exists. */
  readonly legacyFile?: string;
  /** How many of the newest partitions a restart reads back (default 2: a replay may span a roll-over). */
  readonly restorePartitions?: number;
  readonly log: Logger;
  readonly now?: () => number;
  /** Degraded below this much free space whatever the growth (default 1 GB). */
  readonly minFreeBytes?: number;
  /** Makes the appender of a partition file (tests substitute one that fails on demand). */
  readonly openAppender?: (file: string) => H5Appender;
  /**
   * Most of the wall-clock time spent writing (default 1: no bound): after a write that took d ms
   * the next one waits d * (1 / share - 1) ms, unless forced.
   */
  readonly maxWriteShare?: number;
}

/** What a failed write leaves: the file was set aside (the rows go to a new one at once), or a retry. */
export type WriteFailure = { readonly setAside: "damaged" | "old-schema"; readonly movedTo: string } | undefined;

export interface StoreStatus extends DiskStatus {
  readonly partitions: number;
  readonly sealed: number;
  readonly oldestRow: string | null;
}

/** A group of rows bound for one partition file. */
export interface Routed<T> {
  readonly period: Period;
  readonly items: T[];
}

/** The stem of the index file (its extension, .hdf5, keeps it out of `*.h5` globs). */
export const INDEX_STEM = "all-partitions";

export class PartitionedStore {
  readonly dir: string;
  private readonly replica: string;
  private readonly appenders = new Map<string, H5Appender>();
  /** Periods (by id) of this replica's files that are sealed. */
  private readonly sealed = new Set<string>();
  /** Start of the newest sealed period's end: rows before it are late for their partition. */
  private sealedUntil = -Infinity;
  /** Newest row time written (ms). */
  private newestRow = -Infinity;
  /** Periods written by this process (a missing file among them was deleted while running). */
  private readonly wrote = new Set<string>();
  private readonly disk: DiskWatch;
  private readonly now: () => number;
  /** Rows whose period was sealed, written to the oldest open partition instead. */
  lateRows = 0;
  private readonly marker: RunMarker;
  /** No unforced write before this time (the write-share bound). */
  private writeNotBefore = -Infinity;
  private yieldDuringWrites = true;
  /** The partition files the index links, as last written. */
  private indexed: string | undefined;

  constructor(private readonly o: StoreOptions) {
    this.dir = path.resolve(o.dir);
    this.replica = safeReplica(o.replicaId);
    this.now = o.now ?? Date.now;
    this.marker = new RunMarker(this.markerBase());
    this.disk = new DiskWatch(this.dir, () => this.ownFiles(), {
      now: this.now,
      minFreeBytes: o.minFreeBytes ?? 1e9,
    });
  }

  /** The file of a period (whether or not it exists). */
  fileOf(period: Period): string {
    return path.join(this.dir, partitionFileName(period.id, this.replica));
  }

  /** Where the run marker of this replica's processor lives (`<base>.running`). */
  markerBase(): string {
    return path.join(this.dir, this.replica === "" ? "processor" : `processor.${this.replica}`);
  }

  ownFiles(): StoreFile[] {
    return listStore(this.dir, this.replica);
  }

  /**
   * Creates the folder, moves in a single file of the earlier layout, removes
   * copies left behind by a crashed writer and learns which partitions are sealed.
   */
  async prepare(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    this.adoptLegacy();
    // Copies a crashed writer of this replica left behind (other replicas' are theirs: maybe in flight).
    const index = path.basename(this.indexFile());
    for (const name of fs.readdirSync(this.dir)) {
      const m = /^(.*)\.tmp-\d+$/.exec(name);
      if (!m) continue;
      const own = m[1] === index || parseStoreFileName(m[1]!)?.replica === this.replica;
      if (own) fs.rmSync(path.join(this.dir, name), { force: true });
    }
    await this.learnSeals();
    await this.refreshIndex();
  }

  private adoptLegacy(): void {
    const legacy = this.o.legacyFile;
    if (!legacy || !fs.existsSync(legacy) || !fs.statSync(legacy).isFile()) return;
    let target = path.join(this.dir, partitionFileName(LEGACY_STEM, this.replica));
    for (let i = 1; fs.existsSync(target); i++)
      target = path.join(this.dir, partitionFileName(`${LEGACY_STEM}-${i}`, this.replica));
    // Moved in again (a file reappeared at the old path): before-partitions-1, -2, ...
    fs.renameSync(legacy, target);
    this.o.log.warn("moved the single file of the earlier layout into the store folder; it is read, never written", {
      from: legacy,
      to: target,
    });
  }

  /** Sealing runs in period order, so the newest sealed file seals every older one. */
  private async learnSeals(): Promise<void> {
    const files = this.ownFiles();
    const h5 = await loadH5();
    let sealedFrom = -1;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      if (f.period === undefined) continue;
      let isSealed = false;
      try {
        const file = new h5.File(f.path, "r");
        try {
          isSealed = file.attrs["sealed_at"] !== undefined;
        } finally {
          file.close();
        }
      } catch {
        isSealed = false; // unreadable: the runtime sets it aside
      }
      if (isSealed) {
        sealedFrom = i;
        break;
      }
    }
    for (let i = 0; i <= sealedFrom; i++) {
      const p = files[i]!.period;
      if (p) this.markSealed(p);
    }
    const newest = files.at(-1)?.period;
    if (newest) this.newestRow = Math.max(this.newestRow, newest.start);
  }

  private markSealed(p: Period): void {
    this.sealed.add(p.id);
    this.sealedUntil = Math.max(this.sealedUntil, p.end);
    this.appenders.delete(p.id);
  }

  isSealed(period: Period): boolean {
    return this.sealed.has(period.id);
  }

  /** The appender of a store file given by path (a period's cached one, or the legacy file's). */
  appenderOfFile(file: string): H5Appender {
    const f = parseStoreFileName(path.basename(file));
    return f?.period ? this.appender(f.period) : this.open(file);
  }

  /** The appender of a period's file. */
  appender(period: Period): H5Appender {
    let a = this.appenders.get(period.id);
    if (!a) this.appenders.set(period.id, (a = this.open(this.fileOf(period))));
    return a;
  }

  private open(file: string): H5Appender {
    const a = this.o.openAppender ? this.o.openAppender(file) : new H5Appender(file);
    a.yieldDuringWrites = this.yieldDuringWrites;
    return a;
  }

  /**
   * Whether writes let the event loop run during their copy and fsyncs (the default), or block
   * it: a processor on a log transport blocks (H5Appender.yieldDuringWrites says why).
   */
  setYieldDuringWrites(yieldMeanwhile: boolean): void {
    this.yieldDuringWrites = yieldMeanwhile;
    for (const a of this.appenders.values()) a.yieldDuringWrites = yieldMeanwhile;
  }

  /**
   * Groups items by the partition they go to, oldest period first, keeping
   * their order within a group. `edit` items (changes to stored rows) go to
   * the file of their time when it exists, sealed or not.
   */
  route<T>(items: readonly T[], timeOf: (item: T) => number, edit?: (item: T) => boolean): Routed<T>[] {
    const groups = new Map<string, Routed<T>>();
    for (const item of items) {
      let period = periodOf(timeOf(item), this.o.span);
      const editing = edit?.(item) === true && fs.existsSync(this.fileOf(period));
      if (!editing && period.start < this.sealedUntil) {
        period = periodOf(this.sealedUntil, this.o.span);
        this.lateRows++;
      }
      let g = groups.get(period.id);
      if (!g) groups.set(period.id, (g = { period, items: [] }));
      g.items.push(item);
    }
    return [...groups.values()].sort((a, b) => a.period.start - b.period.start);
  }

  /** True when this process wrote the period before and its file is gone (deleted while running). */
  missing(period: Period): boolean {
    return this.wrote.has(period.id) && !fs.existsSync(this.fileOf(period));
  }

  /** After a successful write of rows up to `newestTime` into `period`. */
  written(period: Period, newestTime: number): void {
    this.wrote.add(period.id);
    if (newestTime > this.newestRow) this.newestRow = newestTime;
  }

  /** Periods of own files that are due for sealing (their end plus the lateness lies behind the newest row). */
  dueForSeal(): Period[] {
    const out: Period[] = [];
    for (const f of this.ownFiles())
      if (f.period && !this.sealed.has(f.period.id) && f.period.end + this.o.latenessMs <= this.newestRow)
        out.push(f.period);
    return out;
  }

  /** Seals a period's file: the root attribute `sealed_at`, written like any flush (copy, fsync, rename). */
  async seal(period: Period): Promise<void> {
    const file = this.fileOf(period);
    if (fs.existsSync(file)) {
      const stamp = new Date(this.now()).toISOString();
      await this.appender(period).setRootAttributes({ sealed_at: stamp, period: period.id });
    }
    this.markSealed(period);
    this.o.log.info("partition sealed", { file, period: period.id });
  }

  /** Starts a run: true when the previous one did not stop cleanly (its marker is still there). */
  beginRun(): boolean {
    return this.marker.begin();
  }

  /** A clean stop: the next run will not take itself for a restart after a crash. */
  endRun(): void {
    this.marker.end();
  }

  /** Whether an unforced write may start now (the write-share bound). */
  mayWrite(now: number): boolean {
    return now >= this.writeNotBefore;
  }

  /** A write that ran from `started` to `ended` (ms): the next unforced one waits its share. */
  noteWriteTime(started: number, ended: number): void {
    const share = this.o.maxWriteShare ?? 1;
    this.writeNotBefore = ended + (ended - started) * (1 / share - 1);
  }

  /**
   * A write to `appender`'s file failed: a file of another schema, or one that is no
   * longer readable HDF5, is set aside (the caller writes its rows again at once, to a new
   * file); anything else (no space, I/O) is for the caller to retry.
   */
  async failed(err: unknown, appender: H5Appender): Promise<WriteFailure> {
    const why = err instanceof SchemaMismatchError ? "old-schema" : (await appender.readable()) ? undefined : "damaged";
    if (!why) return undefined;
    return { setAside: why, movedTo: this.setAside(appender, why, err) };
  }

  /** Renames a file aside (`<file>.<why>-<UTC time>`), never overwriting or deleting it. */
  setAside(appender: H5Appender, why: "damaged" | "old-schema", err?: unknown): string {
    const movedTo = appender.setAside(why);
    // The next write starts the file anew on purpose: not a file that went missing.
    const f = parseStoreFileName(path.basename(appender.filePath));
    if (f?.period) this.wrote.delete(f.period.id);
    this.o.log.error(
      why === "damaged"
        ? "output file is not readable HDF5; moved aside"
        : "output file holds tables of another schema; moved aside",
      { file: appender.filePath, movedTo, ...(err ? { err } : {}) },
    );
    return movedTo;
  }

  /** Sets aside the partitions a restart reads back that are not readable HDF5; returns how many. */
  async setAsideUnreadable(): Promise<number> {
    let n = 0;
    for (const f of this.restoreFiles()) {
      const appender = this.appenderOfFile(f.path);
      if (!(await appender.readable())) {
        this.setAside(appender, "damaged");
        n++;
      }
    }
    return n;
  }

  /**
   * Opens the newest partitions read-only and hands them to `fn` with what `tables` say of
   * the windows they hold. A partition that cannot be read back is set aside and the rest
   * read again; returns how many were set aside.
   */
  async readBack(
    tables: readonly WindowTable[],
    fn: (files: H5File[], written: WrittenWindows) => void,
  ): Promise<number> {
    const h5 = await loadH5();
    let setAside = 0;
    for (;;) {
      const files: H5File[] = [];
      const paths = this.restoreFiles().map((f) => f.path);
      let current: string | undefined;
      try {
        const written = new WrittenWindows();
        for (const p of paths) {
          current = p;
          const file = new h5.File(p, "r");
          files.push(file);
          readWindowTables(file, datasetPaths(file), tables, written);
        }
        current = undefined;
        fn(files, written);
        return setAside;
      } catch (err) {
        // Opens as HDF5 but its tables cannot be read back: damaged all the same.
        const bad = current ?? paths.at(-1);
        if (bad === undefined) throw err;
        this.setAside(this.appenderOfFile(bad), "damaged", err);
        setAside++;
      } finally {
        for (const f of files) f.close();
      }
    }
  }

  /** The index file: external links to this replica's partitions. */
  indexFile(): string {
    return path.join(this.dir, this.replica === "" ? `${INDEX_STEM}.hdf5` : `${INDEX_STEM}.${this.replica}.hdf5`);
  }

  /**
   * Rewrites the index when the set of partition files changed (a new period, retention, a
   * set-aside): a new small file, renamed over the old one. Links are relative, and HDF5
   * resolves them from the index's own folder, so the folder can be moved or mounted anywhere.
   */
  async refreshIndex(): Promise<void> {
    const files = this.ownFiles();
    const key = files.map((f) => path.basename(f.path)).join("/");
    if (key === this.indexed && fs.existsSync(this.indexFile())) return;
    const h5 = await loadH5();
    const tmp = `${this.indexFile()}.tmp-${process.pid}`;
    const index = new h5.File(tmp, "w");
    try {
      index.create_attribute("content", "one external link per partition file of this store, named by its period");
      for (const f of files) index.create_external_link(path.basename(f.path), "/", f.period?.id ?? LEGACY_STEM);
    } finally {
      index.close();
    }
    fs.renameSync(tmp, this.indexFile());
    this.indexed = key;
  }

  /** The newest files of this replica, oldest first: what a restart reads back. */
  restoreFiles(): StoreFile[] {
    return this.ownFiles().slice(-(this.o.restorePartitions ?? 2));
  }

  /** Removes this replica's sealed partitions whose period ended before now minus the retention. */
  retire(): string[] {
    if (this.o.retentionMs <= 0) return [];
    const cut = this.now() - this.o.retentionMs;
    const removed: string[] = [];
    for (const f of this.ownFiles()) {
      if (!f.period || f.period.end > cut || !this.sealed.has(f.period.id)) continue;
      fs.rmSync(f.path, { force: true });
      this.appenders.delete(f.period.id);
      removed.push(f.path);
    }
    if (removed.length > 0) {
      this.o.log.info("partitions past the retention removed", { files: removed.map((f) => path.basename(f)) });
    }
    return removed;
  }

  /** Free space, size, growth and whether the disk fills soon. */
  status(): StoreStatus {
    const files = this.ownFiles();
    const d = this.disk.sample();
    const oldest = files.find((f) => f.period !== undefined)?.period;
    return {
      ...d,
      partitions: files.length,
      sealed: files.filter((f) => f.period && this.sealed.has(f.period.id)).length,
      oldestRow: oldest ? new Date(oldest.start).toISOString() : null,
    };
  }
}
