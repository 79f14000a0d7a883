/**
 * How exported rows look (`npm run export`): every time column of milliseconds gets an
 * ISO-8601 UTC twin right after it, and rows become CSV (RFC 4180) or JSON lines. Pure.
 */
import type { TableRow } from "./table-rows.js";

/** Columns holding milliseconds since 1970-01-01T00:00:00Z. */
export const TIME_COLUMNS: ReadonlySet<string> = new Set([
  "window_start",
  "window_end",
  "event_time_first",
  "event_time_last",
  "created_at",
]);

export const isoColumn = (col: string): string => `${col}_iso`;

/** The exported header: each time column followed by its ISO twin. */
export function exportColumns(columns: readonly string[]): string[] {
  return columns.flatMap((c) => (TIME_COLUMNS.has(c) ? [c, isoColumn(c)] : [c]));
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : "";
}

/** A row in exported form: the header's columns, in its order. */
export function exportRow(row: TableRow, columns: readonly string[]): TableRow {
  const out: TableRow = {};
  for (const c of columns) {
    out[c] = row[c]!;
    if (TIME_COLUMNS.has(c)) out[isoColumn(c)] = iso(Number(row[c]));
  }
  return out;
}

function csvField(v: unknown): string {
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : String(v ?? "");
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (no line end): fields quoted only when they hold a quote, comma or line break. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(",");
}

/** One JSON line (no line end); a number that is not finite becomes null. */
export function jsonLine(row: TableRow): string {
  return JSON.stringify(row);
}
