/**
 * Which files make up a processor's store (common/store/layout.ts) and which of them the
 * dashboard looks at. A store is a folder of partition files, one per UTC event-time period
 * and replica; the dashboard's setting may still name the earlier single file (`binance.h5`),
 * which means the folder `binance` once it exists, and a single file is read as a store of one.
 *
 * Only the newest OPEN_PERIODS periods can still change (older ones are sealed), so only
 * their files are watched; a view reads further back only as far as its time range needs.
 */
import fs from "node:fs";
import path from "node:path";
import {
  compareStoreFiles,
  parseStoreFileName,
  resolveStoreFiles,
  storeDirOf,
  type StoreFile,
} from "@cryptostream/common/store/layout";

/** Periods whose files may still be written (the processors seal everything older). */
export const OPEN_PERIODS = 2;

/** The files of one period (every replica's), or the single file of the earlier layout. */
export interface PeriodGroup {
  /** The period's id, or "" for a file without one (the legacy file, a single file). */
  readonly id: string;
  readonly files: readonly StoreFile[];
  /**
   * No row of this group's own period is at or after this time (ms); Infinity when unknown
   * (a single file read as the whole store).
   */
  readonly end: number;
}

/** The store's files, oldest first: a folder's partitions, a single file, or both during an upgrade. */
export function storeFiles(given: string): StoreFile[] {
  return resolveStoreFiles(given)
    .map((p): StoreFile => ({ path: p, ...(parseStoreFileName(path.basename(p)) ?? { period: undefined, replica: "" }) }))
    .sort(compareStoreFiles);
}

/** The files grouped by period, newest first. */
export function periodGroups(files: readonly StoreFile[]): PeriodGroup[] {
  const byId = new Map<string, StoreFile[]>();
  for (const f of files) {
    const id = f.period?.id ?? "";
    const g = byId.get(id);
    if (g) g.push(f);
    else byId.set(id, [f]);
  }
  const dated = [...byId.entries()].filter(([id]) => id !== "").map(([id, fs]) => ({ id, files: fs, end: fs[0]!.period!.end }));
  dated.sort((a, b) => b.end - a.end);
  const undated = byId.get("");
  // The earlier layout's file was moved in on upgrade: its rows come before the oldest period's end.
  if (undated) dated.push({ id: "", files: undated, end: dated.length > 0 ? dated[dated.length - 1]!.end : Infinity });
  return dated;
}

/** The files that may still change: those of the newest OPEN_PERIODS groups. */
export function openFiles(groups: readonly PeriodGroup[]): StoreFile[] {
  return groups.slice(0, OPEN_PERIODS).flatMap((g) => g.files);
}

/** What to call the store on the page: the single file when that is all there is, else the folder. */
export function storeLabel(given: string): string {
  const dir = storeDirOf(given);
  if (dir !== given && !fs.existsSync(dir) && fs.existsSync(given)) return given;
  return dir;
}
