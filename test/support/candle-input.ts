/**
 * A recorded-format aggTrade input (JSON lines of combined-stream messages, as the simulator
 * replays them) built to exercise the candle columns: taker buys and sells (m false/true),
 * aggregates of several trades (f < l), E a little after T (some cross a window boundary),
 * out-of-order and late trades, a symbol that goes quiet (windows with no trades), gap markers
 * (one unfilled over quiet windows, filled ones inside busy windows), a bad marker and a bad
 * trade. Deterministic for a seed.
 */
import fs from "node:fs";

export interface CandleInput {
  readonly lines: string[];
  readonly trades: number;
  readonly gaps: number;
  readonly badLines: number;
}

export interface CandleInputOptions {
  readonly startMs: number;
  readonly trades: number;
  readonly stepMs: number;
  readonly seed: number;
  /** Symbol -> [from, to) offsets (ms from start) when it has no trades; an unfilled gap marker covers the first. */
  readonly quiet: Readonly<Record<string, ReadonlyArray<readonly [number, number, "gap" | "quiet"]>>>;
  /** Every Nth trade of a symbol gets a filled gap marker before it. */
  readonly filledGapEvery: number;
}

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT"] as const;
const DECIMALS: Record<string, number> = { BTCUSDT: 2, ETHUSDT: 8, SOLUSDT: 3 };

export function buildCandleInput(o: CandleInputOptions): CandleInput {
  let seed = o.seed;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const state = new Map(
    SYMBOLS.map((s, i) => [
      s,
      { price: [43_251.37, 2_288.12345678, 61.125][i]!, aggId: 1, tradeId: 100, lastT: 0, n: 0 },
    ]),
  );
  const lines: string[] = [];
  let trades = 0;
  let gaps = 0;
  const pendingGap = new Map<string, { from: number; cause: string }>();
  for (let i = 0; i < o.trades; i++) {
    const sym = SYMBOLS[i % SYMBOLS.length]!;
    const st = state.get(sym)!;
    const off = i * o.stepMs;
    const quiet = (o.quiet[sym] ?? []).find(([a, b]) => off >= a && off < b);
    if (quiet) {
      if (quiet[2] === "gap" && !pendingGap.has(sym)) pendingGap.set(sym, { from: st.lastT, cause: "drop" });
      continue;
    }
    let T = o.startMs + off;
    if (i % 17 === 0) T -= 1_500; // out of order, within lateness
    if (i % 101 === 0) T -= 9_000; // beyond lateness: late
    const lower = sym.toLowerCase();
    const stream = `${lower}@aggTrade`;
    const gapMsg = (from: number, to: number, cause: string, filled: boolean, missing: number | null) =>
      JSON.stringify({
        stream,
        data: { e: "gap", E: to, s: sym, stream, symbols: [...SYMBOLS], from, to, cause, filled, missing },
      });
    const g = pendingGap.get(sym);
    if (g) {
      lines.push(gapMsg(g.from, T, g.cause, false, null));
      pendingGap.delete(sym);
      gaps++;
    }
    st.n++;
    if (st.n % o.filledGapEvery === 0 && st.lastT < T) {
      lines.push(gapMsg(st.lastT, T, st.n % 2 === 0 ? "roll-over" : "shutdown", true, st.n % 2 === 0 ? 0 : null));
      gaps++;
    }
    const dp = DECIMALS[sym]!;
    st.price = Math.max(1, st.price * (1 + (rnd() - 0.5) * 0.002));
    const f = st.tradeId;
    const l = f + (rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 0);
    st.tradeId = l + 1;
    const data = {
      e: "aggTrade",
      E: T + Math.floor(rnd() * 40),
      s: sym,
      a: st.aggId++,
      p: st.price.toFixed(dp),
      q: (rnd() * 3 + 0.00000001).toFixed(8),
      f,
      l,
      T,
      m: rnd() < 0.45,
      M: true,
    };
    lines.push(JSON.stringify({ stream, data }));
    st.lastT = Math.max(st.lastT, T);
    trades++;
  }
  // A marker without its bounds and a trade whose m is not a boolean: the processor rejects both.
  const t = o.startMs + o.trades * o.stepMs;
  lines.push(JSON.stringify({ stream: "btcusdt@aggTrade", data: { e: "gap", E: t, s: "BTCUSDT", cause: "drop" } }));
  lines.push(
    JSON.stringify({
      stream: "btcusdt@aggTrade",
      data: { e: "aggTrade", E: t, s: "BTCUSDT", a: 999_999, p: "1.0", q: "1.0", f: 1, l: 1, T: t, m: "no", M: true },
    }),
  );
  return { lines, trades, gaps, badLines: 2 };
}

export function writeCandleInput(file: string, o: CandleInputOptions): CandleInput {
  const input = buildCandleInput(o);
  fs.writeFileSync(file, input.lines.join("\n") + "\n");
  return input;
}
