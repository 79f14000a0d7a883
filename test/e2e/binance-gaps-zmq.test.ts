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
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { rollOvers, runFaults } from "../support/binance-feed-collector.js";
import {
  historyInput,
  lastTradeTimes,
  loggedMarkers,
  referenceCandles,
  startLiveRun,
} from "../support/binance-live-run.js";
import { readTable } from "../support/h5-table.js";
import { ROOT, sleep, waitFor } from "../support/service-process.js";

const WINDOW_SECONDS = 1;
// Longer than any outage (reconnect + backfill): no backfilled trade finds its window closed.
const LATENESS_SECONDS = 3;
const DROPS = 5;

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-gaps-"));
});
after(() => (process.env.KEEP_E2E_DIR ? console.log(`kept ${dir}`) : fs.rmSync(dir, { recursive: true, force: true })));

test("aggTrade: 5 drops, 2 serverShutdowns, 2 age roll-overs; every row equals pandas on the simulator's trades, klines agree", async () => {
  const started = Date.now();
  const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
  const runDir = fs.mkdtempSync(path.join(dir, "aggtrade-"));
  const run = await startLiveRun(runDir, {
    stream: "aggtrade",
    symbols,
    windowSeconds: WINDOW_SECONDS,
    latenessSeconds: LATENESS_SECONDS,
    producerEnv: { BINANCE_KLINES: "1s", BINANCE_MAX_CONNECTION_SECONDS: "2.5" },
  });
  try {
    // Faults start once trades flow, each a second after the previous reconnect: well inside
    // the 2.5 s age limit, so no drop falls into an age roll-over.
    await waitFor("first trades at the processor", async () =>
      (await run.processor.metric("pipeline_messages_in_total")) > 20 ? true : undefined,
    );
    await runFaults(run.sim, run.producer, { drops: DROPS, shutdowns: 2, ageRollOvers: 2 }, async (i) => {
      // The drop's markers (after its backfill) before the next fault.
      const want = i * symbols.length;
      while (loggedMarkers(run.producer, symbols).length < want) await sleep(50);
    });
    await sleep(1_500);
    const end = await run.finish();
    assert.equal(end.producerExit, 0);
    assert.equal(end.processorExit, 0);
    assert.equal(end.lateRejects, 0, "no trade found its window closed");

    const markers = loggedMarkers(run.producer, symbols);
    const lastT = await lastTradeTimes(run.h5, symbols);
    const { lines, trades } = historyInput(run.sim, lastT, markers);
    const ref = referenceCandles(runDir, run.h5, lines, {
      windowSeconds: WINDOW_SECONDS,
      latenessSeconds: LATENESS_SECONDS,
      symbols,
    });
    const r = ref.summary;
    console.log(`reference_candles: ${JSON.stringify(r)}`);
    assert.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    assert.deepEqual(r.problems, [], "every row equals pandas' candle from the simulator's trades");
    assert.equal(ref.status, 0);
    assert.equal(r.rel_tol, 0, "compared exactly");
    assert.equal(r.windows_compared, r.expected_windows, "one row per window, no more, no less");
    assert.equal(r.late, 0);

    // Every trade of the span exactly once: the rows' counts add up to the history's.
    for (const s of symbols) {
      const rows = await readTable(run.h5, `/aggTrade/${s}`);
      const history = run.sim.tradeHistory(s).filter((t) => t.T <= lastT.get(s)!);
      assert.equal(
        rows.reduce((n, w) => n + Number(w.count), 0),
        history.length,
        `${s}: aggregate trades in the file = in the simulator's history`,
      );
      assert.equal(
        rows.reduce((n, w) => n + Number(w.trade_count), 0),
        history.reduce((n, t) => n + t.l - t.f + 1, 0),
        `${s}: underlying trades`,
      );
      assert.equal(
        Number(rows[0]!.event_time_first),
        history[0]!.T,
        `${s}: the span starts at the market's first trade`,
      );
    }

    // /gaps: one filled marker per drop per symbol (roll-overs and serverShutdowns leave none).
    const gaps = await readTable(run.h5, "/gaps");
    assert.equal(gaps.length, DROPS * symbols.length, "one /gaps row per drop per symbol");
    let missing = 0;
    for (const s of symbols) {
      const own = gaps.filter((g) => g.symbol === s);
      assert.equal(own.length, DROPS, `${s}: one marker per drop`);
      for (const g of own) {
        assert.equal(g.cause, "drop");
        assert.equal(g.filled, 1, `${s}: the backfill filled the gap (${g.from}, ${g.to})`);
        assert.equal(g.stream, `${s.toLowerCase()}@aggTrade`);
        assert.ok(Number(g.from) < Number(g.to));
        missing += Number(g.missing);
      }
    }
    assert.ok(missing > 0, "the drops really missed trades and the backfill fetched them");
    assert.ok((r.windows_gap_filled as number) >= DROPS * symbols.length, "the overlapped windows are flagged 1");
    assert.equal(r.windows_gap_unfilled, 0);
    assert.ok(rollOvers(run.producer, "shutdown") >= 2 && rollOvers(run.producer, "roll-over") >= 2);

    // Binance-style klines beside our candles: stored, and equal for every common interval.
    const inspect = spawnSync(process.execPath, [path.join(ROOT, "scripts/inspect.mjs"), run.h5, "--json"], {
      encoding: "utf8",
    });
    assert.equal(inspect.status, 0, inspect.stderr);
    const report = (
      JSON.parse(inspect.stdout) as {
        klines: Array<{
          symbol: string;
          klines: number;
          compared: number;
          otherInterval: number;
          differences: unknown[];
        }>;
      }
    ).klines;
    assert.deepEqual(report.map((k) => k.symbol).sort(), [...symbols].sort(), "a /kline table per symbol");
    for (const k of report) {
      assert.ok(k.compared >= 10, `${k.symbol}: klines compared (${k.compared})`);
      assert.equal(k.otherInterval, 0);
      assert.deepEqual(k.differences, [], `${k.symbol}: our candles equal the klines`);
    }
    console.log(
      JSON.stringify({
        trades: Object.fromEntries(trades),
        windows: r.windows_compared,
        markers: gaps.length,
        backfilled: missing,
        flaggedWindows: r.windows_gap_filled,
        klinesCompared: report.reduce((n, k) => n + k.compared, 0),
        rollOvers: { shutdown: rollOvers(run.producer, "shutdown"), age: rollOvers(run.producer, "roll-over") },
        seconds: (Date.now() - started) / 1000,
      }),
    );
  } finally {
    await run.kill();
  }
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
      while (loggedMarkers(run.producer, symbols).length < i * symbols.length) await sleep(50);
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
