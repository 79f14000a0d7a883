/**
 * Issue 11, "Done when", through the real services over ZeroMQ: the simulator's generated
 * market (always on: a dropped connection really misses trades), the real binance-producer
 * (REST backfill against the simulator, make-before-break roll-overs), the real
 * binance-processor writing binance.h5 with one-second windows.
 *
 * aggTrade: 5 reset drops, 2 serverShutdowns and 2 age roll-overs in one run. Every row
 * equals the candles pandas computes (reference_candles.py) from the simulator's own trade
 * history, so every trade is counted exactly once; /gaps holds one filled marker per drop
 * per symbol, and the windows they overlap are flagged 1. With BINANCE_KLINES=1s the
 * simulator's closed klines are stored in /kline/<SYMBOL> and equal our candles
 * (`npm run inspect` finds no difference).
 *
 * ticker: drops leave unfilled markers: each is a /gaps row with the bounds the producer
 * published; the windows they overlap are flagged 2, and each window counts exactly the
 * generated events that lie outside every gap.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runFaults, until } from "../support/binance-feed-collector.js";
import { aggTradeFaultRun, LATENESS_SECONDS, WINDOW_SECONDS } from "../support/binance-gaps-run.js";
import { loggedMarkers, startLiveRun } from "../support/binance-live-run.js";
import { readTable } from "../support/h5-table.js";
import { sleep, waitFor } from "../support/service-process.js";

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-gaps-"));
});
after(() => (process.env.KEEP_E2E_DIR ? console.log(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

test("aggTrade: 5 drops, 2 serverShutdowns, 2 age roll-overs; every row equals pandas on the simulator's trades, klines agree", async () => {
  const r = await aggTradeFaultRun(fs.mkdtempSync(path.join(dir, "aggtrade-")));
  console.log(JSON.stringify(r));
});

test("ticker: every drop is a /gaps row with the producer's bounds, its windows flagged 2; rows count every event outside the gaps", async () => {
  const started = Date.now();
  const symbols = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];
  const runDir = fs.mkdtempSync(path.join(dir, "ticker-"));
  // Every ticker event the market generated, sent or not: the independent record.
  const generated = new Map<string, number[]>(symbols.map((s) => [s, []]));
  const run = await startLiveRun(runDir, {
    stream: "ticker",
    symbols,
    windowSeconds: WINDOW_SECONDS,
    latenessSeconds: LATENESS_SECONDS,
    sim: { intervalMs: 60, onEvent: (_stream, d) => d.e === "24hrTicker" && generated.get(d.s)?.push(d.E) },
  });
  const drops = 3;
  try {
    await waitFor("first tickers at the processor", async () =>
      (await run.processor.metric("pipeline_messages_in_total")) > 20 ? true : undefined,
    );
    await runFaults(run.sim, run.producer, { drops }, async (i) => {
      await until(`the markers of drop ${i}`, () => loggedMarkers(run.producer, symbols).length >= i * symbols.length);
    });
    await sleep(1_500);
    const end = await run.finish();
    assert.equal(end.producerExit, 0);
    assert.equal(end.processorExit, 0);

    const markers = loggedMarkers(run.producer, symbols);
    const gaps = await readTable(run.h5, "/gaps");
    assert.equal(gaps.length, drops * symbols.length, "one /gaps row per drop per symbol");
    assert.deepEqual(
      gaps.map((g) => [g.symbol, g.stream, g.from, g.to, g.cause, g.filled, g.missing]),
      markers.map((m) => [m.s, m.stream, m.from, m.to, m.cause, 0, -1]),
      "each /gaps row holds the bounds the producer published, unfilled, count unknown",
    );
    let flagged = 0;
    let lost = 0;
    for (const s of symbols) {
      const own = gaps.filter((g) => g.symbol === s).map((g) => ({ from: Number(g.from), to: Number(g.to) }));
      assert.equal(own.length, drops);
      assert.ok(own.every((g) => g.from < g.to));
      const inGap = (E: number) => own.some((g) => g.from < E && E < g.to);
      const rows = await readTable(run.h5, `/ticker/${s}`);
      const first = Number(rows[0]!.window_start);
      const last = Math.max(...rows.map((r) => Number(r.event_time_last)));
      const events = generated.get(s)!.filter((E) => E >= first && E <= last);
      // A drop misses events: the gap's windows count fewer than the market generated.
      const missed = events.filter(inGap);
      assert.ok(missed.length > 0, `${s}: the drops really missed events`);
      lost += missed.length;
      for (const r of rows) {
        const [ws, we] = [Number(r.window_start), Number(r.window_end)];
        const overlapped = own.some((g) => g.from < we && g.to > ws);
        assert.equal(Number(r.gap), overlapped ? 2 : 0, `${s} window ${ws}: gap flag`);
        if (overlapped) flagged++;
        const expected = events.filter((E) => E >= ws && E < we && !inGap(E)).length;
        assert.equal(Number(r.count), expected, `${s} window ${ws}: every event outside the gaps, once`);
      }
    }
    console.log(
      JSON.stringify({
        tickers: end.processorMetrics.pipeline_messages_in_total! - gaps.length,
        markers: gaps.length,
        flaggedWindows: flagged,
        missedInsideGaps: lost,
        seconds: (Date.now() - started) / 1000,
      }),
    );
  } finally {
    await run.kill();
  }
});
