// For every symbol with both /aggTrade/<SYMBOL> (our candles) and /kline/<SYMBOL> (Binance's):
// where they differ (the comparison itself: binance-processor klines/kline-diff.ts).
import { compareWithKlines } from "@cryptostream/binance-processor/klines/kline-diff";
import { mergeWindowRows } from "@cryptostream/common/hdf5/merge-windows";
import { datasetPaths, withFile } from "@cryptostream/common/hdf5/reader";
import { readTableRows, rowCountOf, tableAt } from "@cryptostream/common/hdf5/table-rows";

const plain = (row) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));

export async function klineReport(filePath) {
  return withFile(filePath, (f) => {
    const paths = datasetPaths(f);
    const out = [];
    for (const p of paths) {
      if (!p.startsWith("/kline/")) continue;
      const symbol = p.slice("/kline/".length);
      const ours = tableAt(f, `/aggTrade/${symbol}`);
      if (!ours) continue;
      const klines = tableAt(f, p);
      const candles = mergeWindowRows(readTableRows(f, ours, 0, rowCountOf(ours)).map(plain));
      const r = compareWithKlines(candles, readTableRows(f, klines, 0, rowCountOf(klines)).map(plain));
      out.push({ symbol, ...r });
    }
    return out;
  });
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
