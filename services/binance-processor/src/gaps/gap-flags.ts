/**
 * Which windows a recorded gap touches (pure). A gap is the open interval (from, to) of
 * exchange time; window [start, end) is flagged when the two overlap: from < end and
 * to > start (and from < to). The flag says the worst a gap says about the window.
 */
import type { GapMarker } from "../events/gap-marker.js";

/** Values of the `gap` column. */
export const GAP_FLAG = { none: 0, filled: 1, unfilled: 2 } as const;

export const GAP_FLAG_MEANING =
  "0 = no recorded gap overlaps the window; 1 = a gap overlaps it and was filled (REST backfill delivered the missing trades: the row is exact); 2 = a gap overlaps it and was not filled (trades may be missing). See /gaps";

export function gapFlag(gap: Pick<GapMarker, "filled">): number {
  return gap.filled ? GAP_FLAG.filled : GAP_FLAG.unfilled;
}

export function overlaps(gap: Pick<GapMarker, "from" | "to">, start: number, end: number): boolean {
  return gap.from < gap.to && gap.from < end && gap.to > start;
}

/** Gaps of one stream type, per symbol, kept to flag windows as they close. */
export class GapFlags {
  private readonly bySymbol = new Map<string, GapMarker[]>();

  constructor(
    private readonly stream: string,
    /** Gaps kept per symbol (the oldest go first; windows close soon after their gaps). */
    private readonly keep = 1000,
  ) {}

  /** Whether the gap is of this table's stream type (only those flag its windows). */
  covers(gap: Pick<GapMarker, "stream">): boolean {
    return gap.stream.slice(gap.stream.indexOf("@") + 1).toLowerCase() === this.stream.toLowerCase();
  }

  /** Notes a gap; gaps of another stream type are not this table's. */
  add(gap: GapMarker): void {
    if (!this.covers(gap)) return;
    let list = this.bySymbol.get(gap.symbol);
    if (!list) this.bySymbol.set(gap.symbol, (list = []));
    list.push(gap);
    if (list.length > this.keep) list.shift();
  }

  /** The flag of a window: the highest of the overlapping gaps' flags, 0 when none. */
  flag(symbol: string, start: number, end: number): number {
    let f: number = GAP_FLAG.none;
    for (const g of this.bySymbol.get(symbol) ?? []) if (overlaps(g, start, end)) f = Math.max(f, gapFlag(g));
    return f;
  }
}
