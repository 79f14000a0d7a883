/**
 * Bluesky asks clients to honour deletions: a post deleted upstream after the dashboard
 * showed it loses its text on the open page too, not only in the file. The real
 * twitter-processor (fed through the test kit's consumer) writes twitter.h5, the real
 * dashboard serves it, Debian's Chromium shows it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { FakeConsumer } from "@cryptostream/testkit";
import { pickledDeliveries, specTwitterProcessor } from "@cryptostream/twitter-processor/test/spec-processor";
import { launchChromium, startDashboard, type RunningDashboard } from "../support/browser.js";

const DID = "did:plc:eygmaihciaxprqvxpfvl6flk";
let dir: string;
let browser: Browser;
let dashboard: RunningDashboard | undefined;

before(async () => {
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-dashboard-deletes-"));
});
after(async () => {
  await browser?.close();
  await dashboard?.process.stop("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

const delivery = pickledDeliveries();
const uri = (id: string) => `at://${DID}/app.bsky.feed.post/r${id}`;

test("a post deleted upstream after the page showed it loses its text on the page", { timeout: 60_000 }, async () => {
  const t0 = Math.floor(Date.now() / 10_000) * 10_000 - 60_000;
  const clock = { now: t0 + 30_000 };
  const consumer = new FakeConsumer({ replays: false });
  const { p: processor } = specTwitterProcessor(path.join(dir, "twitter.h5"), consumer, () => clock.now);
  await processor.start();
  const texts = ["bitcoin to the moon", "eth looks weak today", "crypto is quiet"];
  const data = texts.map((text, i) => ({
    id: String(1001 + i),
    text,
    created_at: new Date(t0 + 1_000 + i * 100).toISOString(),
    author_id: DID,
    lang: "en",
    source: "bluesky",
    uri: uri(String(1001 + i)),
  }));
  await consumer.deliver([delivery({ data, meta: { result_count: data.length }, source: "bluesky" })]);
  clock.now += 5_000; // idle for longer than the lateness: the wall clock closes the window
  await processor.tick();
  try {
    dashboard = await startDashboard(dir);
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    const textOf = (id: string) =>
      page.evaluate((i) => document.querySelector(`#posts tr[data-id="${i}"]`)?.lastElementChild?.textContent, id);
    await page.waitForFunction(() => document.querySelectorAll("#posts tr").length === 3, undefined, {
      timeout: 20_000,
    });
    assert.equal(await textOf("1002"), "eth looks weak today");

    await consumer.deliver([
      delivery({
        source: "bluesky",
        deletes: [{ id: "1002", uri: uri("1002"), deleted_at: new Date(t0 + 5_000).toISOString() }],
      }),
    ]);
    clock.now += 5_000;
    await processor.tick();
    await page.waitForFunction(
      () => document.querySelector('#posts tr[data-id="1002"]')?.lastElementChild?.textContent?.includes("deleted"),
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(await textOf("1002"), "(deleted by its author)");
    assert.equal(await textOf("1001"), "bitcoin to the moon", "the other posts keep their text");
    assert.equal(await textOf("1003"), "crypto is quiet");
    const html = await page.content();
    assert.ok(!html.includes("eth looks weak today"), "the deleted text is nowhere on the page");
  } finally {
    await processor.stop();
  }
});
