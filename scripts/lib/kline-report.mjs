// For every symbol with both /aggTrade/<SYMBOL> (our candles) and /kline/<SYMBOL> (Binance's):
// where they differ (the comparison itself: binance-processor klines/kline-diff.ts). Over a
// store of several files the candles are merged over all of them first (scripts/lib/store-tables.mjs).
import { compareWithKlines } from "@cryptostream/binance-processor/klines/kline-diff";
import { readStore } from "./store-tables.mjs";

/**
 * @param {Array<{ path: string, period?: object }>} files the store's files (storeInputs)
 * @param {{ start: number, end: number } | undefined} [range]
 */
export async function klineReport(files, range) {
  const rows = new Map();
  const { tables } = await readStore(files, {
    range,
    want: (p) => /^\/(kline|aggTrade)\//.test(p),
    open: (t) => {
      const held = [];
      rows.set(t.path, held);
      return { write: (block) => held.push(...block) };
    },
  });
  const out = [];
  for (const p of tables.keys()) {
    if (!p.startsWith("/kline/")) continue;
    const symbol = p.slice("/kline/".length);
    const candles = rows.get(`/aggTrade/${symbol}`);
    if (!candles) continue;
    const r = compareWithKlines(candles, rows.get(p));
    out.push({ symbol, ...r });
  }
  return out;
}

export function printKlineReport(report, out = console.log, limit = 10) {
  for (const r of report) {
    out(
      `  candles vs Binance klines, ${r.symbol}: ${r.compared} intervals compared, ${r.differences.length} differ` +
        (r.otherInterval > 0
          ? ` (${r.otherInterval} klines of another interval than WINDOW_SECONDS not compared)`
          : ""),
    );
    for (const d of r.differences.slice(0, limit)) {
      const what =
        d.kind === "no candle"
          ? "no candle row"
          : d.columns.map((c) => `${c.name} ours ${c.ours} binance ${c.binance}`).join("; ");
      out(`    ${new Date(d.openTime).toISOString()} gap=${d.gap}: ${what}`);
    }
    if (r.differences.length > limit) out(`    ... ${r.differences.length - limit} more (--json lists all)`);
  }
}
