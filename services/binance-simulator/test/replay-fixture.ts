/**
 * Deterministic replay files for end-to-end tests: valid combined-stream
 * messages with known event times, plus, on request, out-of-order event
 * times and malformed lines. Every line is described in the returned
 * fixture, so a test can compute exactly what the pipeline should produce.
 */

import { writeFile } from "node:fs/promises";
import { createMarketGenerator } from "./market-generator.js";
import { DEFAULT_SYMBOLS } from "@cryptostream/binance-simulator/options";
import { combinedToJson } from "@cryptostream/binance-simulator/serialize";
import type { StreamKind } from "@cryptostream/binance-simulator/streams";

export type MalformedStyle = "truncated" | "not-json" | "no-data";
/** The styles used in rotation: cut-off JSON, plain text, JSON without "data". */
export const MALFORMED_STYLES: readonly MalformedStyle[] = ["truncated", "not-json", "no-data"];

export interface ReplayFixtureOptions {
  /** Default: the simulator's seven default symbols. */
  readonly symbols?: readonly string[];
  /** Default "ticker". Events cycle over symbols x kinds. */
  readonly stream?: StreamKind | readonly StreamKind[];
  /** Number of valid events (malformed lines come on top). */
  readonly events: number;
  /** Event time of the first event; default 1 700 000 000 000 (2023-11-14T22:13:20Z). */
  readonly startTimeMs?: number;
  /** Event i is stamped startTimeMs + i * stepMs (before out-of-order shifts); default 100. */
  readonly stepMs?: number;
  /** Default 1. */
  readonly seed?: number;
  /** Every Nth event (the N-th, 2N-th, ...) is stamped outOfOrderLagMs earlier; 0 = none. */
  readonly outOfOrderEvery?: number;
  /** How far back an out-of-order event goes; default 3 * stepMs. */
  readonly outOfOrderLagMs?: number;
  /** A malformed line follows every Nth event; 0 = none. */
  readonly malformedEvery?: number;
}

export type ReplayFixtureLine =
  | {
      readonly kind: "event";
      readonly text: string;
      readonly stream: string;
      /** Uppercase symbol as in the payload ("BTCUSDT"). */
      readonly symbol: string;
      readonly eventTime: number;
      readonly outOfOrder: boolean;
    }
  | { readonly kind: "malformed"; readonly text: string; readonly style: MalformedStyle };

export interface ReplayFixture {
  readonly lines: readonly ReplayFixtureLine[];
  readonly events: number;
  readonly malformed: number;
  readonly outOfOrder: number;
}

function malformedLine(style: MalformedStyle, sample: string, stream: string, n: number): string {
  switch (style) {
    case "truncated":
      return sample.slice(0, Math.floor(sample.length / 2));
    case "not-json":
      return `malformed line ${n}: this is not JSON {`;
    case "no-data":
      return JSON.stringify({ stream });
  }
}

export function buildReplayFixture(opts: ReplayFixtureOptions): ReplayFixture {
  const start = opts.startTimeMs ?? 1_700_000_000_000;
  const step = opts.stepMs ?? 100;
  const oooEvery = opts.outOfOrderEvery ?? 0;
  const lag = opts.outOfOrderLagMs ?? 3 * step;
  const badEvery = opts.malformedEvery ?? 0;
  if (!Number.isInteger(opts.events) || opts.events < 0) throw new Error("events must be a non-negative integer");
  const gen = createMarketGenerator({
    symbols: opts.symbols ?? DEFAULT_SYMBOLS,
    seed: opts.seed ?? 1,
    stream: opts.stream ?? "ticker",
  });

  const lines: ReplayFixtureLine[] = [];
  let malformed = 0;
  let outOfOrder = 0;
  for (let i = 0; i < opts.events; i++) {
    const late = oooEvery > 0 && (i + 1) % oooEvery === 0;
    const eventTime = start + i * step - (late ? lag : 0);
    const msg = gen.next(eventTime);
    const text = combinedToJson(msg);
    lines.push({ kind: "event", text, stream: msg.stream, symbol: msg.data.s, eventTime, outOfOrder: late });
    if (late) outOfOrder += 1;
    if (badEvery > 0 && (i + 1) % badEvery === 0) {
      const style = MALFORMED_STYLES[malformed % MALFORMED_STYLES.length]!;
      lines.push({ kind: "malformed", text: malformedLine(style, text, msg.stream, malformed), style });
      malformed += 1;
    }
  }
  return { lines, events: opts.events, malformed, outOfOrder };
}

/** Writes the fixture as JSON lines (one line per entry, final newline) and returns its description. */
export async function writeReplayFile(path: string, opts: ReplayFixtureOptions): Promise<ReplayFixture> {
  const fixture = buildReplayFixture(opts);
  const body = fixture.lines.map((l) => l.text).join("\n");
  await writeFile(path, fixture.lines.length > 0 ? body + "\n" : "");
  return fixture;
}
