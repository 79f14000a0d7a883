import type { Gap } from "./gap-tracker.js";

/**
 * The gap marker published on the data topic, keyed by symbol, in the same
 * combined-stream envelope as the live events (the processor reads it by
 * data.e === "gap"). Contract shared with the binance-processor.
 */

export type MarkedStream = "aggTrade" | "ticker";

export interface GapMarkerData {
  readonly e: "gap";
  /** The gap's upper bound, so event-time ordering puts the marker where the data resumes. */
  readonly E: number;
  readonly s: string;
  readonly stream: string;
  readonly symbols: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly cause: Gap["cause"];
  readonly filled: boolean;
  readonly missing: number | null;
}

export interface GapMarker {
  readonly stream: string;
  readonly data: GapMarkerData;
}

export function buildGapMarker(
  gap: Gap,
  symbol: string,
  stream: MarkedStream,
  symbols: readonly string[],
  fill: { filled: boolean; missing: number | null },
): GapMarker {
  const name = `${symbol.toLowerCase()}@${stream}`;
  return {
    stream: name,
    data: {
      e: "gap",
      E: gap.to,
      s: symbol.toUpperCase(),
      stream: name,
      symbols: symbols.map((s) => s.toUpperCase()),
      from: gap.from,
      to: gap.to,
      cause: gap.cause,
      // Ticker events cannot be fetched again: a ticker gap is never filled.
      filled: stream === "aggTrade" && fill.filled,
      missing: stream === "aggTrade" ? fill.missing : null,
    },
  };
}
