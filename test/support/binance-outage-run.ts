/**
 * Outages longer than the processor's lateness, through the real services (ZeroMQ or Kafka):
 * the simulator cuts every connection and refuses new ones for 4 s while its market keeps
 * trading, twice. With 1 s windows and 1 s lateness the wall clock writes the windows the
 * outage touched before the producer is back; its REST backfill then delivers their trades
 * late. Those trades go to extra rows of their windows, late markers flag written windows with
 * count-0 rows, and merged by the documented rule the file equals pandas' candles of every
 * trade the market made, each counted once.
 */
import assert from "node:assert/strict";
import { logsOf, until } from "./binance-feed-collector.js";
import {
  historyInput,
  lastTradeTimes,
  loggedMarkers,
  referenceCandles,
  startLiveRun,
  type LiveRunOptions,
} from "./binance-live-run.js";
import { readTable } from "./h5-table.js";
import { sleep, waitFor } from "./service-process.js";

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
const OUTAGES = 2;
const OUTAGE_MS = 4_000;

export async function outageRun(dir: string, transport?: LiveRunOptions["transport"]) {
  const run = await startLiveRun(dir, {
    stream: "aggtrade",
    symbols: SYMBOLS,
    windowSeconds: 1,
    latenessSeconds: 1,
    transport,
  });
  try {
    await waitFor("first trades at the processor", async () =>
      (await run.processor.metric("pipeline_messages_in_total")) > 20 ? true : undefined,
    );
    for (let i = 1; i <= OUTAGES; i++) {
      await sleep(1_500);
      assert.ok(run.sim.outage(OUTAGE_MS) >= 1, `outage ${i}: a connection to cut`);
      await until(
        `the markers of outage ${i}`,
        () => loggedMarkers(run.producer, SYMBOLS).length >= i * SYMBOLS.length,
        OUTAGE_MS + 15_000,
      );
    }
    await sleep(2_500);
    const end = await run.finish();
    assert.equal(end.producerExit, 0);
    assert.equal(end.processorExit, 0);
    const lateBackfill = end.processorMetrics.binance_late_backfill_total ?? 0;
    assert.ok(lateBackfill > 0, "the outages outlasted the lateness: backfilled trades found their windows written");
    assert.equal(end.lateRejects, 0, "no trade was rejected as late");
    assert.ok(logsOf(run.producer, "reconnected").length >= OUTAGES);

    const markers = loggedMarkers(run.producer, SYMBOLS);
    const lastT = await lastTradeTimes(run.h5, SYMBOLS);
    const { lines, trades } = historyInput(run.sim, lastT, markers);
    const ref = referenceCandles(dir, run.h5, lines, {
      windowSeconds: 1,
      latenessSeconds: 1,
      symbols: SYMBOLS,
      mergeRows: true,
    });
    const r = ref.summary;
    console.log(
      `outage run: ${JSON.stringify({ lateBackfill, gapsAfterWrite: end.processorMetrics.binance_gaps_after_write_total ?? 0, trades: Object.fromEntries(trades), ...r, problems: undefined })}`,
    );
    assert.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    assert.deepEqual(r.problems, [], "every merged row equals pandas' candle from the simulator's trades");
    assert.equal(ref.status, 0);
    assert.equal(r.windows_compared, r.expected_windows, "every window has rows");
    assert.ok((r.merged_windows as number) > 0, "some windows have extra rows");

    const gaps = await readTable(run.h5, "/gaps");
    assert.equal(gaps.length, OUTAGES * SYMBOLS.length, "one /gaps row per outage per symbol");
    assert.ok(gaps.every((g) => Number(g.filled) === 1 && Number(g.to) - Number(g.from) >= OUTAGE_MS - 500));
    for (const s of SYMBOLS) {
      const rows = await readTable(run.h5, `/aggTrade/${s}`);
      assert.equal(
        rows.reduce((n, w) => n + Number(w.count), 0),
        trades.get(s),
        `${s}: every trade of the market counted once`,
      );
    }
    return { lateBackfill, mergedWindows: r.merged_windows, windows: r.windows_compared, trades: r.trades };
  } finally {
    await run.kill();
  }
}
