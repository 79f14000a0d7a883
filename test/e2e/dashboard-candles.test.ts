/**
 * The dashboard on an aggTrade store of schema 3 (kline columns: a folder of day partitions), in Debian's Chromium: the
 * chart's candles are the rows' open, high, low and close, the volume bars their base volume,
 * a window without trades (count 0, no price) draws no candle, and windows a recorded gap
 * overlaps are marked under their candles (filled or not).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { periodOf } from "@cryptostream/common/store/layout";
import { AGG_TRADE } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { launchChromium, startDashboard, type RunningDashboard } from "../support/browser.js";

let dir: string;
let browser: Browser;
let dashboard: RunningDashboard | undefined;

before(async () => {
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-dashboard-candles-"));
});
after(async () => {
  await browser?.close();
  await dashboard?.process.stop("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  "aggTrade candles show open/high/low/close and base volume; a window without trades shows none; gap flags and missing windows are marked",
  { timeout: 60_000 },
  async () => {
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const rows = Array.from({ length: 8 }, (_, i) => {
      const empty = i === 4;
      const o = 100 + i;
      return {
        window_start: start + i * 60_000,
        window_end: start + (i + 1) * 60_000,
        count: empty ? 0 : 10 + i,
        event_time_first: empty ? -1 : start + i * 60_000 + 5,
        event_time_last: empty ? -1 : start + i * 60_000 + 59_000,
        complete: 1,
        gap: empty || i === 5 ? 2 : i === 2 ? 1 : 0,
        open: empty ? NaN : o,
        high: empty ? NaN : o + 3,
        low: empty ? NaN : o - 2,
        close: empty ? NaN : o + 1,
        volume: empty ? 0 : 1.5 + i,
        quote_volume: empty ? 0 : (1.5 + i) * o,
        trade_count: empty ? 0 : 20 + i,
        taker_buy_volume: empty ? 0 : 1,
        taker_buy_quote_volume: empty ? 0 : o,
        vwap: empty ? NaN : o,
        log_partition: -1,
        log_offset_first: -1,
        log_offset_last: -1,
      } as Record<string, number>;
    });
    const columns = marketColumns(AGG_TRADE);
    // The store folder, each row in the partition of its UTC day (two files when run across midnight).
    const days = new Map<string, typeof rows>();
    for (const r of rows) {
      const day = periodOf(r.window_start!, "day").id;
      days.set(day, [...(days.get(day) ?? []), r]);
    }
    for (const [day, part] of days) {
      const data = new Map(
        columns.map((c) => [c.name, part.map((r) => (c.type === "<i8" ? BigInt(r[c.name]!) : r[c.name]!))]),
      );
      await new H5Appender(path.join(dir, "binance", `${day}.h5`)).append([
        { spec: marketTableSpec(AGG_TRADE, "BTCUSDT", 60, 5), data },
      ]);
    }
    dashboard = await startDashboard(dir);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${dashboard.url}#${encodeURIComponent("/aggTrade/BTCUSDT")}`);
    await page.waitForFunction(() => performance.getEntriesByName("first-candles").length > 0, undefined, {
      timeout: 30_000,
    });
    const chart = await page.evaluate(() => ({
      candles: (window as any).dashboard.candles.data(),
      volume: (window as any).dashboard.volume.data(),
      markers: (window as any).dashboard.gapMarkers.markers(),
      missing: (window as any).dashboard.missingMarkers.markers(),
    }));
    const traded = rows.filter((r) => r.count! > 0);
    const drawn = chart.candles.filter((c: Record<string, number>) => c.open !== undefined);
    assert.deepEqual(
      drawn.map((c: Record<string, number>) => [c.time, c.open, c.high, c.low, c.close]),
      traded.map((r) => [r.window_start! / 1000, r.open, r.high, r.low, r.close]),
    );
    assert.equal(drawn.length, 7, "the window without trades has no candle");
    // It is missing data (an unfilled gap), not a quiet market: a blank in the chart, a zero bar and a marker.
    const missing = rows[4]!.window_start! / 1000;
    assert.deepEqual(
      chart.volume.map((v: Record<string, number>) => [v.time, v.value]),
      rows.map((r) => [r.window_start! / 1000, r.volume]),
    );
    assert.deepEqual(
      chart.missing.map((m: { time: number; text: string }) => [m.time, m.text]),
      [[missing, "missing"]],
    );
    assert.match((await page.textContent("#volume-of")) ?? "", /base/);
    assert.deepEqual(
      chart.markers.map((m: { time: number; text: string }) => [m.time, m.text]),
      [
        [rows[2]!.window_start! / 1000, "filled"],
        [rows[5]!.window_start! / 1000, "gap"],
      ],
      "the gap flags of the candles' windows are marked",
    );
  },
);
