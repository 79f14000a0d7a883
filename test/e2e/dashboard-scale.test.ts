/**
 * The dashboard with 200 symbols and a day of one-minute windows each (a day partition of the
 * binance store, written with the binance-processor's own table layout), in Debian's
 * Chromium: how long until the first candles show, how much JS heap the page holds, how long
 * a switch of symbol takes; and the page's messages for a missing store and a damaged
 * partition. The data folder is never written.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { periodOf } from "@cryptostream/common/store/layout";
import { launchChromium, startDashboard, testOutputDir, type RunningDashboard } from "../support/browser.js";
import { writeMarketFile } from "../support/market-file.js";

const SYMBOLS = 200;
const WINDOWS = 1440;

let dir: string;
let browser: Browser;
let dashboard: RunningDashboard | undefined;
/** Yesterday (UTC): the partition holds its 1440 windows. */
const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
const partition = () => path.join(dir, "binance", `${periodOf(today - 1, "day").id}.h5`);

before(async () => {
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-dashboard-scale-"));
});
after(async () => {
  await browser?.close();
  await dashboard?.process.stop("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file of the folder and its subfolders with size and mtime: equal listings mean nothing was written. */
const listing = (d: string): string[] =>
  fs
    .readdirSync(d)
    .sort()
    .flatMap((f) => {
      const s = fs.statSync(path.join(d, f));
      const me = `${f}:${s.size}:${s.mtimeMs}:${s.ino}`;
      return s.isDirectory() ? [me, ...listing(path.join(d, f)).map((x) => `${f}/${x}`)] : [me];
    });

test(
  `${SYMBOLS} symbols x ${WINDOWS} one-minute windows: load time, JS heap, symbol switch`,
  { timeout: 180_000 },
  async () => {
    const t0 = Date.now();
    const names = await writeMarketFile(partition(), SYMBOLS, WINDOWS, today);
    const fileMs = Date.now() - t0;
    const bytes = fs.statSync(partition()).size;
    const files = listing(dir);
    dashboard = await startDashboard(dir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${dashboard.url}#${encodeURIComponent(`/ticker/${names[150]}`)}`);
    await page.waitForFunction(() => performance.getEntriesByName("first-candles").length > 0, undefined, {
      timeout: 30_000,
    });
    const loadMs = await page.evaluate(() => performance.getEntriesByName("first-candles")[0]!.startTime);
    assert.equal(await page.evaluate(() => (window as any).dashboard.candles.data().length), WINDOWS);
    assert.equal(await page.locator("#symbol option").count(), SYMBOLS);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };

    // Switching symbol loads that one's series only.
    const firstOpen = await page.evaluate(() => (window as any).dashboard.candles.data()[0].open);
    const s0 = Date.now();
    await page.selectOption("#symbol", `/ticker/${names[7]}`);
    await page.waitForFunction(
      (first) => {
        const d = (window as any).dashboard.candles.data();
        return d.length === 1440 && d[0].open !== first;
      },
      firstOpen,
      { timeout: 20_000 },
    );
    const switchMs = Date.now() - s0;
    // A responsive page: a task queued now runs promptly.
    const idleMs = await page.evaluate(
      () =>
        new Promise<number>((r) => {
          const t = performance.now();
          setTimeout(() => r(performance.now() - t), 0);
        }),
    );
    await page.screenshot({ path: path.join(testOutputDir(), "dashboard-200-symbols.png") });

    const serverRss = await dashboard.process.metric("process_resident_memory_bytes");
    const report = {
      file: { symbols: SYMBOLS, windows: WINDOWS, bytes, writtenMs: fileMs },
      firstCandlesMs: Math.round(loadMs),
      jsHeapUsedMB: +(heap.usedSize / 1e6).toFixed(1),
      jsHeapTotalMB: +(heap.totalSize / 1e6).toFixed(1),
      switchSymbolMs: switchMs,
      queuedTaskMs: +idleMs.toFixed(1),
      dashboardRssMB: Math.round(serverRss / 1e6),
    };
    console.log(`# dashboard scale: ${JSON.stringify(report)}`);
    assert.ok(loadMs < 5_000, `first candles within 5 s (${loadMs} ms)`);
    assert.ok(heap.usedSize < 60e6, `JS heap under 60 MB (${report.jsHeapUsedMB} MB)`);
    assert.ok(switchMs < 3_000, `a symbol switch within 3 s (${switchMs} ms)`);

    // The twitter store was never written: the page says so instead of showing nothing.
    await page.waitForSelector('#files p[data-state="missing"]');
    assert.match((await page.textContent("#files")) ?? "", /\/twitter: not written yet/);
    assert.deepEqual(listing(dir), files, "the dashboard wrote nothing into the data folder");
  },
);

test(
  "a damaged partition shows a clear message on the page, and the page recovers when it is whole again",
  { timeout: 60_000 },
  async () => {
    assert.ok(dashboard, "the first spec started the dashboard");
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    await page.waitForFunction(() => (window as any).dashboard.candles.data().length > 0, undefined, {
      timeout: 20_000,
    });
    const good = partition();
    const keep = path.join(os.tmpdir(), `dashboard-scale-${process.pid}.h5`);
    fs.renameSync(good, keep);
    fs.writeFileSync(good + ".tmp", "this is not HDF5\n");
    fs.renameSync(good + ".tmp", good); // as a processor would replace it
    try {
      await page.waitForSelector('#files p[data-state="unreadable"]', { timeout: 5_000 });
      assert.match(
        (await page.textContent("#files")) ?? "",
        new RegExp(`binance/${path.basename(good).replace(/\./g, "\\.")}: is not an HDF5 file`),
      );
      assert.match((await page.textContent("#chart-empty")) ?? "", /No market windows/);
    } finally {
      fs.renameSync(keep, good);
    }
    await page.waitForFunction(() => document.querySelector('#files p[data-state="unreadable"]') === null, undefined, {
      timeout: 5_000,
    });
    await page.waitForFunction(() => (window as any).dashboard.candles.data().length === 1440, undefined, {
      timeout: 10_000,
    });
    assert.equal(await dashboard.process.stop("SIGTERM"), 0);
  },
);
