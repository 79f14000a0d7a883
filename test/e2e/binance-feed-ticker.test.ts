/**
 * Issue 11, producer side, ticker: ticker events cannot be fetched again, so
 * every gap must be recorded with bounds that say exactly what is missing.
 * The simulator keeps ticking while the producer is away and the spec records
 * every event it generated; each one is then either published (once) or lies
 * inside a marker's open interval (from, to). serverShutdown and age
 * roll-overs lose nothing and leave no marker.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep } from "../support/service-process.js";
import { startFeedRun, rollOvers, runFaults, until } from "../support/binance-feed-collector.js";

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];
const DROPS = 3;

test("ticker: every drop is marked with bounds that hold exactly the missed events; roll-overs lose nothing", async () => {
  // Each ticker event is one market step: its last trade id L names it (two can share an E under load).
  const generated = new Map<string, Array<{ E: number; L: number }>>(SYMBOLS.map((s) => [s, []]));
  const { sim, out, producer, close } = await startFeedRun({
    symbols: SYMBOLS,
    stream: "ticker",
    sim: {
      intervalMs: 60,
      marketAlwaysOn: true,
      serverShutdownGraceMs: 1_000,
      onEvent: (_stream, data) => data.e === "24hrTicker" && generated.get(data.s)?.push({ E: data.E, L: data.L }),
    },
    producerEnv: {
      BINANCE_MAX_CONNECTION_SECONDS: "2.5",
      BINANCE_RECONNECT_BASE_MS: "300",
      BINANCE_RECONNECT_MAX_MS: "600",
    },
  });
  const rolled = (cause: string) => rollOvers(producer, cause);
  try {
    await until("first tickers", () => out.events("24hrTicker").length > 10);
    await runFaults(sim, producer, { drops: DROPS, shutdowns: 1, ageRollOvers: 2 });
    await sleep(500);
    assert.equal(await producer.stop(), 0);
    await sleep(300);

    const markers = out.markers();
    let missed = 0;
    for (const symbol of SYMBOLS) {
      const own = markers.filter((m) => m.data.s === symbol);
      assert.equal(own.length, DROPS, `${symbol}: one marker per drop`);
      for (const m of own) {
        assert.equal(m.stream, `${symbol.toLowerCase()}@ticker`);
        assert.equal(m.data.cause, "drop");
        assert.equal(m.data.filled, false, "ticker gaps are never filled");
        assert.equal(m.data.missing, null);
        assert.ok(m.data.from < m.data.to);
      }
      const inGap = (E: number) => own.some((m) => m.data.from < E && E < m.data.to);
      const published = out
        .events("24hrTicker")
        .filter((t) => t.data.s === symbol)
        .map((t) => ({ E: t.data.E, L: t.data.L as number }));
      for (let i = 1; i < published.length; i++) {
        assert.ok(published[i]!.L > published[i - 1]!.L, `${symbol}: each event once, in order (L ${published[i]!.L})`);
        assert.ok(published[i]!.E >= published[i - 1]!.E);
      }
      assert.ok(!published.some((p) => inGap(p.E)), `${symbol}: nothing published inside a gap`);
      const seen = new Set(published.map((p) => p.L));
      const span = generated.get(symbol)!.filter((g) => g.L >= published[0]!.L && g.L <= published.at(-1)!.L);
      const lost = span.filter((g) => !seen.has(g.L));
      const unexplained = lost.filter((g) => !inGap(g.E));
      assert.deepEqual(unexplained, [], `${symbol}: every event not published lies inside a marked gap`);
      for (const m of own)
        assert.ok(
          lost.some((g) => m.data.from < g.E && g.E < m.data.to),
          `${symbol}: the gap (${m.data.from}, ${m.data.to}) really missed events`,
        );
      missed += lost.length;
    }
    console.log(
      JSON.stringify({
        tickers: out.events("24hrTicker").length,
        markers: markers.length,
        missedEventsInsideGaps: missed,
        rollOvers: { shutdown: rolled("shutdown"), age: rolled("roll-over") },
      }),
    );
  } finally {
    await close();
  }
});
