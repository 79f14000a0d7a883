/**
 * The dashboard on a store folder of 30 day partitions (written with the binance-processor's
 * own table layout), in Debian's Chromium: the chart shows the newest partition's candles
 * merged with a late row written into it for a window of the partition before (as the store
 * writes a row whose period is sealed), the dashboard opens only the newest partitions
 * (first paint as fast as with one partition), a partition deleted by retention while it runs
 * breaks nothing, and a processor whose /healthz reports a degraded store (a stand-in health
 * endpoint on 127.0.0.1) shows it on the health strip.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { listenOn } from "@cryptostream/common/service/http-listen";
import { periodOf } from "@cryptostream/common/store/layout";
import { TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { launchChromium, startDashboard, testOutputDir, type RunningDashboard } from "../support/browser.js";
import { writeMarketFile } from "../support/market-file.js";
import { waitFor } from "../support/service-process.js";

const DAY = 86_400_000;
const MINUTE = 60_000;
const SYMBOLS = 10;
/** The newest partition's windows (00:00 to 10:00): fewer than the chart's 1440, so the day before is read too. */
const NEWEST_WINDOWS = 600;
const PARTITIONS = 30;

let dir: string;
let browser: Browser;
let health: http.Server | undefined;
const dashboards: RunningDashboard[] = [];

/** The newest partition's day: yesterday (UTC), so every window lies in the past. */
const newestDay = Math.floor(Date.now() / DAY) * DAY - DAY;
const dayFile = (store: string, dayStart: number) => path.join(store, `${periodOf(dayStart, "day").id}.h5`);

before(async () => {
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-dashboard-partitions-"));
});
after(async () => {
  await browser?.close();
  for (const d of dashboards) await d.process.stop("SIGKILL");
  await new Promise((r) => (health ? health.close(r) : r(undefined)));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A ticker row for one window of S000USDT, as the binance-processor writes it. */
function tickerRow(windowStart: number, count: number, price: number): Record<string, number> {
  return {
    window_start: windowStart,
    window_end: windowStart + MINUTE,
    count,
    event_time_first: windowStart + 30_000,
    event_time_last: windowStart + 40_000,
    complete: 1,
    price_first: price,
    price_last: price,
    price_mean: price,
    price_min: price,
    price_max: price,
    price_sum: price * count,
    bid_mean: price,
    bid_sum: price * count,
    ask_mean: price,
    ask_sum: price * count,
    volume_last: 1,
    quote_volume_last: price,
    log_partition: -1,
    log_offset_first: -1,
    log_offset_last: -1,
  };
}

async function appendRows(file: string, rows: Array<Record<string, number>>): Promise<void> {
  const columns = marketColumns(TICKER);
  const data = new Map(
    columns.map((c) => [c.name, rows.map((r) => (c.type === "<i8" ? BigInt(r[c.name]!) : r[c.name]!))]),
  );
  await new H5Appender(file).append([{ spec: marketTableSpec(TICKER, "S000USDT", 60, 5), data }]);
}

const candles = (page: Page) =>
  page.evaluate(() => ({
    candles: (window as any).dashboard.candles.data() as Array<Record<string, number>>,
    volume: (window as any).dashboard.volume.data() as Array<Record<string, number>>,
  }));

async function firstPaint(d: RunningDashboard, dataset: string): Promise<{ page: Page; ms: number }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await page.goto(`${d.url}#${encodeURIComponent(dataset)}`);
  await page.waitForFunction(() => performance.getEntriesByName("first-candles").length > 0, undefined, {
    timeout: 30_000,
  });
  const ms = await page.evaluate(() => performance.getEntriesByName("first-candles")[0]!.startTime);
  return { page, ms };
}

test(
  `${PARTITIONS} day partitions: newest candles merged with a late row, only the newest partitions opened`,
  { timeout: 240_000 },
  async () => {
    // One store of the newest partition alone, one of 30 days; both take the earlier `binance.h5` setting.
    const one = path.join(dir, "one");
    const many = path.join(dir, "many");
    const newest = dayFile(path.join(many, "binance"), newestDay);
    const t0 = Date.now();
    for (let d = PARTITIONS - 1; d >= 1; d--)
      await writeMarketFile(
        dayFile(path.join(many, "binance"), newestDay - d * DAY),
        SYMBOLS,
        1440,
        newestDay - (d - 1) * DAY,
      );
    await writeMarketFile(newest, SYMBOLS, NEWEST_WINDOWS, newestDay + NEWEST_WINDOWS * MINUTE);
    // A late row: the day before's last window, written to the newest partition (its own is sealed).
    const lateStart = newestDay - MINUTE;
    const lateRow = tickerRow(lateStart, 7, 1_000_000);
    await appendRows(newest, [lateRow]);
    fs.mkdirSync(path.join(one, "binance"), { recursive: true });
    fs.copyFileSync(newest, dayFile(path.join(one, "binance"), newestDay));
    const writeMs = Date.now() - t0;
    assert.equal(fs.readdirSync(path.join(many, "binance")).length, PARTITIONS);

    const dataset = "/ticker/S000USDT";
    const dOne = await startDashboard(one);
    dashboards.push(dOne);
    const a = await firstPaint(dOne, dataset);
    const dMany = await startDashboard(many);
    dashboards.push(dMany);
    const b = await firstPaint(dMany, dataset);

    const shown = await candles(b.page);
    assert.equal(shown.candles.length, 1440, "a full chart: the newest partition and the day before");
    const newestTime = (newestDay + (NEWEST_WINDOWS - 1) * MINUTE) / 1000;
    assert.equal(shown.candles.at(-1)!.time, newestTime, "the newest candle is the newest partition's last window");
    assert.equal(shown.candles[0]!.time, (newestDay + NEWEST_WINDOWS * MINUTE) / 1000 - 1440 * 60);
    // The late row merged into the day before's last window: high is the max of both rows, volume (count) the sum.
    const i = shown.candles.findIndex((c) => c.time === lateStart / 1000);
    assert.ok(i >= 0, "the window before the newest partition is on the chart");
    const merged = shown.candles[i]!;
    assert.equal(merged.high, 1_000_000, "high over both files' rows");
    assert.ok(Number(merged.open) < 1_000, "open from the on-time row (the earlier first event)");
    assert.ok(Number(shown.volume[i]!.value) > 7, "volume adds the late row's count to the on-time row's");
    const onTimeCount = Number(shown.volume[i]!.value) - 7;
    assert.ok(onTimeCount >= 40 && onTimeCount < 70, `the on-time row's count (${onTimeCount})`);

    const opensOne = await dOne.process.metric("dashboard_partition_opens_total");
    const opensMany = await dMany.process.metric("dashboard_partition_opens_total");
    const report = {
      partitions: PARTITIONS,
      symbols: SYMBOLS,
      writtenMs: writeMs,
      firstCandlesMs: { onePartition: Math.round(a.ms), thirtyPartitions: Math.round(b.ms) },
      filesOpened: { onePartition: opensOne, thirtyPartitions: opensMany },
    };
    console.log(`# dashboard partitions: ${JSON.stringify(report)}`);
    // At start: the table list of the 2 open partitions; the page's chart: the same 2 (one query each).
    assert.ok(opensMany <= 4, `only the newest two of ${PARTITIONS} partitions were opened (${opensMany} opens)`);
    assert.ok(b.ms < 5_000, `first candles within 5 s with ${PARTITIONS} partitions (${b.ms} ms)`);
    await b.page.screenshot({ path: path.join(testOutputDir(), "dashboard-partitions.png") });

    // Retention deletes the oldest partition, then the one before the newest, while the page is open.
    fs.rmSync(dayFile(path.join(many, "binance"), newestDay - (PARTITIONS - 1) * DAY));
    fs.rmSync(dayFile(path.join(many, "binance"), newestDay - DAY));
    await waitFor(
      "the chart without the deleted day's windows (the late row's window stays, from the newest partition)",
      async () => {
        const c = (await candles(b.page)).candles;
        const late = c.find((x) => x.time === lateStart / 1000);
        return late && late.high === 1_000_000 && late.open === 1_000_000 ? true : undefined;
      },
      20_000,
    );
    // The day two before the newest lies before the chart's time range (1440 minutes back from
    // the newest window): it is not read, the chart holds the newest partition's windows only.
    assert.equal((await candles(b.page)).candles.length, NEWEST_WINDOWS + 1);
    assert.equal(dMany.process.exitCode, undefined, "the dashboard still runs");
    assert.equal((await fetch(dMany.url)).status, 200, "and serves the page after partitions vanished under it");
  },
);

test(
  "a processor whose /healthz reports a degraded store shows the disk warning on the strip",
  { timeout: 60_000 },
  async () => {
    const body = {
      status: "ok",
      store: {
        state: "degraded",
        reason: "free space below what a day of growth fills",
        freeBytes: 800_000_000,
        storeBytes: 42_000_000_000,
        growthBytesPerDay: 1_920_000_000,
        partitions: 30,
        oldestRow: new Date(newestDay - 29 * DAY).toISOString(),
      },
    };
    health = http.createServer((req, res) => {
      if (req.url === "/healthz") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      else res.writeHead(200, { "content-type": "text/plain" }).end("pipeline_messages_in_total 1\n");
    });
    const port = await listenOn(health, 0, "127.0.0.1");
    const d = await startDashboard(path.join(dir, "many"), {
      DASHBOARD_METRICS_URLS: `binance-processor=http://127.0.0.1:${port}`,
      DASHBOARD_METRICS_POLL_MS: "200",
    });
    dashboards.push(d);
    const page = await browser.newPage();
    await page.goto(d.url);
    const card = '.svc[data-service="binance-processor"]';
    await page.waitForSelector(`${card} .store-warn`, { timeout: 10_000 });
    assert.equal(await page.textContent(`${card} .store-warn`), "disk: 0.8 GB free, fills in ~10 h at current growth");
    assert.equal(await page.getAttribute(card, "data-state"), "up", "only degraded: the service is still up");
    assert.equal(await page.getAttribute(card, "data-store"), "degraded");
    assert.equal(
      await page.$eval(card, (el) => getComputedStyle(el).borderLeftColor),
      "rgb(217, 119, 6)",
      "the strip's warning colour",
    );
    // The store recovers: the warning goes.
    body.store.state = "ok";
    await page.waitForFunction((sel) => document.querySelector(`${sel} .store-warn`) === null, card, {
      timeout: 10_000,
    });
    assert.equal(await page.getAttribute(card, "data-store"), "ok");
  },
);
