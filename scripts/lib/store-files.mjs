// Which HDF5 files `npm run inspect` and `npm run export` read for a path given on the command
// line: a store folder of partition files (services/common/src/store/layout.ts), a single .h5
// file, or the earlier setting `x.h5` naming the folder `x`; `--from`/`--to` (a UTC day
// YYYY-MM-DD or hour YYYY-MM-DDTHH, both inclusive) leave out the partitions outside the range
// without opening them.
import fs from "node:fs";
import path from "node:path";
import { parsePeriod, parseStoreFileName, resolveStoreFiles } from "@cryptostream/common/store/layout";

/**
 * The time range [start, end) in ms of `--from`/`--to`, undefined when neither is given, or an
 * error message. `--to 2026-12-08` reaches the end of that day, `--to 2026-12-08T05` the end of that hour.
 * @param {string | undefined} from
 * @param {string | undefined} to
 * @returns {{ range?: { start: number, end: number, from?: string, to?: string }, error?: string }}
 */
export function parseRange(from, to) {
  if (from === undefined && to === undefined) return {};
  const range = { start: -Infinity, end: Infinity, from, to };
  for (const [opt, value] of [
    ["--from", from],
    ["--to", to],
  ]) {
    if (value === undefined) continue;
    const p = parsePeriod(value);
    if (!p) return { error: `${opt} ${value}: expected a UTC day YYYY-MM-DD or hour YYYY-MM-DDTHH` };
    if (opt === "--from") range.start = p.start;
    else range.end = p.end;
  }
  if (range.start >= range.end) return { error: `--from ${from} lies after --to ${to}` };
  return { range };
}

/** True when a row time (ms) lies in the range (always without one). */
export function inRange(range, ms) {
  return range === undefined || (ms >= range.start && ms < range.end);
}

/** "--from X --to Y" as typed, for messages. */
export function rangeText(range) {
  if (!range) return "";
  return [range.from && `--from ${range.from}`, range.to && `--to ${range.to}`].filter(Boolean).join(" ");
}

/**
 * @typedef {{ path: string, name: string, period?: { id: string, start: number, end: number }, replica: string, lateRowsOnly?: boolean }} InputFile
 */

/**
 * The files to read for `given`, in reading order: files without a period (a single file, the
 * folder's before-partitions.h5) first, then the partitions oldest first. With a range, a
 * partition is kept only when its period overlaps it (a file without a period is always kept:
 * its rows are filtered by time instead), plus the partitions of the period right after the
 * range, marked lateRowsOnly (the rows of the range the store wrote there after sealing).
 * Returns { files } or { error } (one line).
 * @returns {{ files?: InputFile[], all?: InputFile[], error?: string }}
 */
export function storeInputs(given, range) {
  const all = resolveStoreFiles(given).map((p) => {
    const parsed = parseStoreFileName(path.basename(p));
    return { path: p, name: path.basename(p), period: parsed?.period, replica: parsed?.replica ?? "" };
  });
  if (all.length === 0) {
    let isDir = false;
    try {
      isDir = fs.statSync(given).isDirectory();
    } catch {
      return { error: `${given}: no such file or store folder` };
    }
    return {
      error: isDir
        ? `${given}: no store files in this folder (partitions are named like 2026-12-07.h5)`
        : `${given}: no such file or store folder`,
    };
  }
  const ordered = [...all.filter((f) => !f.period), ...all.filter((f) => f.period)];
  if (!range) return { files: ordered, all: ordered };
  const files = ordered.filter((f) => !f.period || (f.period.start < range.end && f.period.end > range.start));
  if (files.length === 0) return { error: `${given}: no partition lies in ${rangeText(range)}` };
  // A row written after its period was sealed lands in the oldest open partition, normally the
  // next one: the period group right after the range is read too, for such rows only.
  const after = ordered.filter((f) => f.period && f.period.start >= range.end);
  if (after.length > 0) {
    const nextEnd = after[0].period.end;
    for (const f of after) if (f.period.start < nextEnd) files.push({ ...f, lateRowsOnly: true });
  }
  return { files, all: ordered };
}

/** storeInputs, or ends the process with its one-line error. */
export function storeInputsOrExit(given, range) {
  const r = storeInputs(given, range);
  if (r.error) {
    console.error(r.error);
    process.exit(1);
  }
  return r.files;
}
