/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) on the live
 * pipeline: the real services write their stores (folders of partition files), the dashboard
 * serves the page,
 * and the spec reads what the chart holds (its series' data(), not the server's messages)
 * and compares it with h5py's reading of the files, merged by the documented rule.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { mergeWindowRows } from "@cryptostream/common/hdf5/merge-windows";
import { resolveStoreFiles } from "@cryptostream/common/store/layout";
import { requirePythonModule, runPython } from "../support/python.js";
import { ROOT, sleep, waitFor } from "../support/service-process.js";
import { startLivePipeline, type LivePipeline } from "../support/live-pipeline.js";
import { launchChromium, startDashboard, testOutputDir, type RunningDashboard } from "../support/browser.js";

let dir: string;
let browser: Browser;
let pipeline: LivePipeline | undefined;
let dashboard: RunningDashboard | undefined;

before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-dashboard-"));
});
after(async () => {
  await browser?.close();
  await dashboard?.process.stop("SIGKILL");
  await pipeline?.stopAll().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, number | string>;

/** h5py's rows of a table in one file, merged by the rule unless it is /tweets (or `raw`). */
function h5FileRows(file: string, dataset: string, raw = false): Row[] {
  const r = runPython([
    path.join(ROOT, "test/support/check_export.py"),
    "--h5",
    file,
    "--dataset",
    dataset,
    "--dump",
    ...(raw ? ["--raw"] : []),
  ]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Row[];
}

/**
 * h5py's rows of a table over the store's partition files (oldest first). One file (the usual
 * case in a run this short): merged by the reference's rule. Several (a run across UTC
 * midnight): each file's raw rows, concatenated and merged by the rule's implementation.
 */
function h5Rows(configured: string, dataset: string): Row[] {
  const files = resolveStoreFiles(configured);
  assert.ok(files.length > 0, `the store of ${configured} has files`);
  if (files.length === 1) return h5FileRows(files[0]!, dataset);
  const rows = files.flatMap((f) => h5FileRows(f, dataset, true));
  return dataset === "/tweets" ? rows : (mergeWindowRows(rows) as Row[]);
}

const candleCount = (page: Page) => page.evaluate(() => (window as any).dashboard.candles.data().length as number);

test(
  "live: candles equal the HDF5 rows, new windows arrive without a reload, a stopped service turns red",
  { timeout: 180_000 },
  async () => {
    pipeline = await startLivePipeline(dir, { windowSeconds: 2, symbols: ["btcusdt", "ethusdt", "solusdt"] });
    dashboard = await startDashboard(dir, {
      DASHBOARD_METRICS_URLS: pipeline.metricsUrls,
      DASHBOARD_METRICS_POLL_MS: "500",
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const origin = new URL(dashboard.url).origin;
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(origin)) elsewhere.push(r.url());
    });
    await page.goto(`${dashboard.url}#${encodeURIComponent("/ticker/BTCUSDT")}`);
    await page.waitForFunction(() => (window as any).dashboard.candles.data().length >= 2, undefined, {
      timeout: 40_000,
    });
    await page.evaluate(() => ((window as any).sameDocument = true));

    // A new window appears without a reload.
    const before = await candleCount(page);
    await waitFor("a new candle on the page", async () => (await candleCount(page)) > before || undefined, 15_000, 100);
    assert.equal(await page.evaluate(() => (window as any).sameDocument === true), true, "no reload");
    assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), 1);
    await page.waitForFunction(() => (window as any).dashboard.means.get("score_mean")?.data().length >= 2, undefined, {
      timeout: 30_000,
    });
    await page.waitForFunction(() => document.querySelectorAll("#posts tr").length >= 5, undefined, {
      timeout: 30_000,
    });
    await page.waitForFunction(() => document.querySelectorAll('.svc[data-state="up"]').length === 4, undefined, {
      timeout: 10_000,
    });
    // Pushed within a second of the processor's write.
    await sleep(4_000);
    const latencies = await page.evaluate(() => [...(window as any).dashboard.latencies] as number[]);
    assert.ok(latencies.length >= 3, `updates were pushed (${latencies.length})`);
    const worst = Math.max(...latencies);
    console.log(
      `# dashboard: ${latencies.length} pushed updates, flush to page p50 ${latencies.sort((a, b) => a - b)[latencies.length >> 1]} ms, worst ${worst} ms`,
    );
    assert.ok(worst < 1_000, `every update reached the page within a second of the flush (worst ${worst} ms)`);
    await page.screenshot({ path: path.join(testOutputDir(), "dashboard-live.png"), fullPage: true });

    // Stop the binance half: its health turns red; its last (partial) rows reach the page.
    assert.equal(await pipeline.stop("binance-producer"), 0);
    assert.equal(await pipeline.stop("binance-processor"), 0);
    const red = await page.waitForFunction(
      () => {
        const el = document.querySelector('.svc[data-service="binance-processor"]');
        return el?.getAttribute("data-state") === "down" ? getComputedStyle(el).backgroundColor : undefined;
      },
      undefined,
      { timeout: 5_000 },
    );
    assert.equal(await red.jsonValue(), "rgb(69, 10, 10)", "the card is red");
    assert.equal(await page.getAttribute('.svc[data-service="twitter-processor"]', "data-state"), "up");
    assert.equal(await pipeline.stop("twitter-producer"), 0);
    assert.equal(await pipeline.stop("twitter-processor"), 0);
    await sleep(1_500); // the last flushes, then the dashboard's next look at the files

    const rows = h5Rows(pipeline.binanceH5, "/ticker/BTCUSDT");
    const chart = await page.evaluate(() => ({
      candles: (window as any).dashboard.candles.data(),
      volume: (window as any).dashboard.volume.data(),
    }));
    assert.ok(rows.length >= 4, `enough windows to mean something (${rows.length})`);
    assert.ok(
      rows.some((r) => r.complete === 0),
      "the stop wrote partial rows, merged like the rest",
    );
    assert.deepEqual(
      chart.candles.map((c: Record<string, number>) => [c.time, c.open, c.high, c.low, c.close]),
      rows.map((r) => [Number(r.window_start) / 1000, r.price_first, r.price_max, r.price_min, r.price_last]),
    );
    assert.deepEqual(
      chart.volume.map((v: Record<string, number>) => [v.time, v.value]),
      rows.map((r) => [Number(r.window_start) / 1000, r.count]),
    );
    const sentiment = h5Rows(pipeline.twitterH5, "/sentiment");
    const lines = await page.evaluate(() => ({
      mean: (window as any).dashboard.means.get("score_mean").data(),
      positive: (window as any).dashboard.labels.positive.data(),
      negative: (window as any).dashboard.labels.negative.data(),
    }));
    assert.deepEqual(
      lines.mean.map((p: Record<string, number>) => [p.time, p.value]),
      sentiment.map((r) => [Number(r.window_start) / 1000, r.score_mean]),
    );
    assert.deepEqual(
      lines.positive.map((p: Record<string, number>) => p.value),
      sentiment.map((r) => r.positive),
    );
    assert.deepEqual(
      lines.negative.map((p: Record<string, number>) => p.value),
      sentiment.map((r) => r.negative),
    );
    const tweets = h5Rows(pipeline.twitterH5, "/tweets");
    const shownIds = await page.$$eval("#posts tr", (trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
    assert.deepEqual(
      shownIds,
      tweets
        .slice(-50)
        .reverse()
        .map((t) => t.id),
      "the newest 50 posts, newest first",
    );
    await page.waitForFunction(() => document.querySelectorAll('.svc[data-state="down"]').length === 4, undefined, {
      timeout: 5_000,
    });
    assert.deepEqual(elsewhere, [], "every script and request goes to the dashboard itself");
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(testOutputDir(), "dashboard-stopped.png"), fullPage: true });
    assert.equal(await dashboard.process.stop("SIGTERM"), 0, "graceful stop");
    assert.deepEqual(dashboard.process.stdoutNoise, [], "nothing but JSON logs on stdout");
  },
);
