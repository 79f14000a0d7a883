/**
 * The aggTrade run of issue 11's "Done when", shared by the ZeroMQ and Kafka specs: 5 reset
 * drops, 2 serverShutdowns and 2 age roll-overs against the live services, then every check:
 * rows equal pandas on the simulator's trade history (reference_candles.py), the counts add
 * up to the history, /gaps holds one filled marker per drop per symbol, the overlapped windows
 * are flagged 1, and the 1 s klines equal our 1 s candles (`npm run inspect --json`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { KlineComparison } from "@cryptostream/binance-processor/klines/kline-diff";
import path from "node:path";
import { rollOvers, runFaults, until } from "./binance-feed-collector.js";
import {
  historyInput,
  lastTradeTimes,
  loggedMarkers,
  referenceCandles,
  startLiveRun,
  type LiveRunOptions,
} from "./binance-live-run.js";
import { readTable } from "./h5-table.js";
import { ROOT, sleep, waitFor } from "./service-process.js";

export const WINDOW_SECONDS = 1;
/** Longer than any outage (reconnect + backfill): no backfilled trade finds its window closed. */
export const LATENESS_SECONDS = 3;
const DROPS = 5;

/**
 * `openWindowsStayInLog`: the transport is a log (Kafka), where a stop writes no partial rows,
 * so the newest klines may have no candle row yet.
 */
export async function aggTradeFaultRun(
  runDir: string,
  transport?: LiveRunOptions["transport"],
  openWindowsStayInLog = false,
) {
  const started = Date.now();
  const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
  const run = await startLiveRun(runDir, {
    stream: "aggtrade",
    symbols,
    windowSeconds: WINDOW_SECONDS,
    latenessSeconds: LATENESS_SECONDS,
    producerEnv: { BINANCE_KLINES: "1s", BINANCE_MAX_CONNECTION_SECONDS: "2.5" },
    transport,
  });
  try {
    // Faults start once trades flow, each a second after the previous reconnect: well inside
    // the 2.5 s age limit, so no drop falls into an age roll-over.
    await waitFor("first trades at the processor", async () =>
      (await run.processor.metric("pipeline_messages_in_total")) > 20 ? true : undefined,
    );
    await runFaults(run.sim, run.producer, { drops: DROPS, shutdowns: 2, ageRollOvers: 2 }, async (i) => {
      // The drop's markers (after its backfill) before the next fault.
      await until(`the markers of drop ${i}`, () => loggedMarkers(run.producer, symbols).length >= i * symbols.length);
    });
    await sleep(1_500);
    const end = await run.finish();
    assert.equal(end.producerExit, 0);
    assert.equal(end.processorExit, 0);
    assert.equal(end.lateRejects, 0, "no trade found its window closed");
    assert.equal(end.processorMetrics.binance_gaps_after_write_total ?? 0, 0, "every marker flagged its windows");

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
    const report = (JSON.parse(inspect.stdout) as { klines: Array<KlineComparison & { symbol: string }> }).klines;
    assert.deepEqual(report.map((k) => k.symbol).sort(), [...symbols].sort(), "a /kline table per symbol");
    let klinesAfterStop = 0;
    for (const k of report) {
      assert.ok(k.compared >= 10, `${k.symbol}: klines compared (${k.compared})`);
      assert.equal(k.otherInterval, 0);
      // Over Kafka a stop leaves the windows still open in the log (the next start replays
      // them), so the klines of the last seconds have no candle row yet; nothing else may differ.
      const rows = await readTable(run.h5, `/aggTrade/${k.symbol}`);
      const newest = Math.max(...rows.map((w) => Number(w.window_start)));
      const stillOpen = (d: (typeof k.differences)[number]) =>
        openWindowsStayInLog && d.kind === "no candle" && d.openTime > newest;
      assert.deepEqual(
        k.differences.filter((d) => !stillOpen(d)),
        [],
        `${k.symbol}: our candles equal the klines`,
      );
      assert.ok(
        k.differences.filter(stillOpen).length <= Math.ceil(LATENESS_SECONDS / WINDOW_SECONDS) + 1,
        `${k.symbol}: only the windows open at the stop lack a row`,
      );
      klinesAfterStop += k.differences.filter(stillOpen).length;
    }
    return {
      trades: Object.fromEntries(trades),
      windows: r.windows_compared,
      markers: gaps.length,
      backfilled: missing,
      flaggedWindows: r.windows_gap_filled,
      klinesCompared: report.reduce((n, k) => n + k.compared, 0),
      klinesAfterStop,
      rollOvers: { shutdown: rollOvers(run.producer, "shutdown"), age: rollOvers(run.producer, "roll-over") },
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await run.kill();
  }
}
