/**
 * The store's folder layout, pure apart from `listStore`: one HDF5 file per
 * event-time period (a UTC day or hour of the rows' window_start) and
 * replica, named so that the same row always lands in the same file.
 *
 *   <dir>/2026-12-07.h5             a day (the default)
 *   <dir>/2026-12-07T13.h5          an hour (`*_PARTITION=hour`)
 *   <dir>/2026-12-07.<replica>.h5   a replica's file (REPLICA_ID)
 *   <dir>/before-partitions.h5      a single file of the earlier layout, moved in on upgrade
 *
 * Files set aside (damaged, old schema) keep their name plus a suffix, so
 * they no longer end in `.h5` and no reader takes them for a partition.
 */
import fs from "node:fs";
import path from "node:path";

export type PartitionSpan = "day" | "hour";

export const PARTITION_SPANS: readonly PartitionSpan[] = ["day", "hour"];

const SPAN_MS: Record<PartitionSpan, number> = { day: 86_400_000, hour: 3_600_000 };

/** The stem of the file that holds a single-file store of the earlier layout. */
export const LEGACY_STEM = "before-partitions";

export interface Period {
  /** `2026-12-07` or `2026-12-07T13`. */
  readonly id: string;
  /** [start, end) in ms since the epoch, UTC. */
  readonly start: number;
  readonly end: number;
}

/** The period that holds a row of this time (ms). */
export function periodOf(timeMs: number, span: PartitionSpan): Period {
  const ms = SPAN_MS[span];
  const start = Math.floor(timeMs / ms) * ms;
  const iso = new Date(start).toISOString();
  return { id: span === "day" ? iso.slice(0, 10) : iso.slice(0, 13), start, end: start + ms };
}

/** The period named by an id of either span, or undefined. */
export function parsePeriod(id: string): Period | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}))?$/.exec(id);
  if (!m) return undefined;
  const hour = m[4];
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour === undefined ? 0 : Number(hour));
  if (!Number.isFinite(start)) return undefined;
  const p = periodOf(start, hour === undefined ? "day" : "hour");
  return p.id === id ? p : undefined;
}

/** A replica id as it may appear in a file name ([A-Za-z0-9_-]). */
export function safeReplica(replicaId: string): string {
  return replicaId.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The file name of a period's partition (or of the legacy file, stem LEGACY_STEM) for a replica ("" = none). */
export function partitionFileName(stem: string, replicaId: string): string {
  return replicaId === "" ? `${stem}.h5` : `${stem}.${safeReplica(replicaId)}.h5`;
}

export interface StoreFile {
  readonly path: string;
  /** undefined for the legacy file. */
  readonly period: Period | undefined;
  readonly replica: string;
}

/** What a file name in a store folder is, or undefined when it is not one of the store's files. */
export function parseStoreFileName(name: string): Omit<StoreFile, "path"> | undefined {
  const m = /^([^.]+)(?:\.([A-Za-z0-9_-]+))?\.h5$/.exec(name);
  if (!m) return undefined;
  const replica = m[2] ?? "";
  if (m[1] === LEGACY_STEM || new RegExp(`^${LEGACY_STEM}-\\d+$`).test(m[1]!)) return { period: undefined, replica };
  const period = parsePeriod(m[1]!);
  return period ? { period, replica } : undefined;
}

/**
 * The store folder a configured path names: `data/binance.h5` (the earlier
 * single-file setting) names the folder `data/binance`; anything else is the folder.
 */
export function storeDirOf(configured: string): string {
  return configured.endsWith(".h5") ? configured.slice(0, -".h5".length) : configured;
}

/** Oldest first (the legacy file before every period); within a period by replica. */
export function compareStoreFiles(a: StoreFile, b: StoreFile): number {
  const sa = a.period?.start ?? -Infinity;
  const sb = b.period?.start ?? -Infinity;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0;
}

/** The store's files in a folder, oldest first; `replica` limits them to one replica's. */
export function listStore(dir: string, replica?: string): StoreFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: StoreFile[] = [];
  for (const name of names) {
    const f = parseStoreFileName(name);
    if (!f) continue;
    if (replica !== undefined && f.replica !== safeReplica(replica)) continue;
    out.push({ path: path.join(dir, name), ...f });
  }
  return out.sort(compareStoreFiles);
}

/**
 * The HDF5 files a reader should read for a path given on a command line or
 * in a setting: a store folder (its files), a single `.h5` file, or the
 * earlier setting `x.h5` when the folder `x` exists (the folder's files, and
 * the file itself if it is still there).
 */
export function resolveStoreFiles(given: string): string[] {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(given);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) return listStore(given).map((f) => f.path);
  const dir = storeDirOf(given);
  const inDir = dir !== given && fs.existsSync(dir) ? listStore(dir).map((f) => f.path) : [];
  return stat?.isFile() ? [given, ...inDir] : inDir;
}
