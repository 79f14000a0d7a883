/**
 * Issue 11, producer side, aggTrade: the real binance-producer process against
 * the real simulator (whose market keeps trading while the producer is away),
 * over ZeroMQ. Five reset drops (trades really missed, then fetched over REST
 * with 429s injected), two serverShutdowns and two age roll-overs in one run:
 * every trade of the simulator's history in the run's span is published
 * exactly once, in id order; each drop leaves one filled marker per symbol;
 * the roll-overs leave none.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep } from "../support/service-process.js";
import { startFeedRun, logsOf, rollOvers, runFaults, until } from "../support/binance-feed-collector.js";

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
const DROPS = 5;

test("aggTrade: drops are backfilled exactly, roll-overs and serverShutdowns lose and repeat nothing", async () => {
  const { sim, out, producer, close } = await startFeedRun({
    symbols: SYMBOLS,
    stream: "aggtrade",
    sim: {
      intervalMs: 40,
      marketAlwaysOn: true,
      rest429Every: 4,
      restRetryAfterS: 1,
      serverShutdownGraceMs: 1_000,
    },
    producerEnv: {
      BINANCE_MAX_CONNECTION_SECONDS: "2.5",
      BINANCE_RECONNECT_BASE_MS: "300",
      BINANCE_RECONNECT_MAX_MS: "600",
    },
  });
  const rolled = (cause: string) => rollOvers(producer, cause);
  try {
    await until("first trades", () => out.events("aggTrade").length > 20);
    // Drops: each one a second after the previous reconnect, well inside the 2.5 s age limit.
    await runFaults(sim, producer, { drops: DROPS });
    await until("a marker per symbol per drop", () => out.markers().length >= DROPS * SYMBOLS.length, 20_000);
    await runFaults(sim, producer, { drops: 0, shutdowns: 2, ageRollOvers: 2 });
    await sleep(500);
    // No gap opens after the drops: the counters are final before the stop.
    const metrics = await producer.metricsText();
    assert.equal(await producer.stop(), 0, "clean exit");
    await sleep(300);

    const markers = out.markers();
    const trades = out.events("aggTrade");
    let backfilled = 0;
    for (const symbol of SYMBOLS) {
      const mine = trades.filter((t) => t.data.s === symbol);
      const ids = mine.map((t) => t.data.a as number);
      for (let i = 1; i < ids.length; i++)
        assert.equal(
          ids[i],
          ids[i - 1]! + 1,
          `${symbol}: ids run without hole or repeat at ${ids[i - 1]} -> ${ids[i]}`,
        );
      const history = sim.tradeHistory(symbol);
      const first = history.findIndex((h) => h.a === ids[0]);
      assert.ok(first >= 0, `${symbol}: first published trade is in the simulator's history`);
      const expected = history.slice(first, first + ids.length);
      assert.deepEqual(
        mine.map(({ data: { a, p, q, f, l, T, m } }) => ({ a, p, q, f, l, T, m })),
        expected.map(({ a, p, q, f, l, T, m }) => ({ a, p, q, f, l, T, m })),
        `${symbol}: published trades equal the simulator's, field by field`,
      );
      const own = markers.filter((m) => m.data.s === symbol);
      assert.equal(own.length, DROPS, `${symbol}: one marker per drop`);
      for (const m of own) {
        assert.equal(m.stream, `${symbol.toLowerCase()}@aggTrade`);
        assert.equal(m.data.stream, m.stream);
        assert.equal(m.data.cause, "drop");
        assert.equal(m.data.filled, true, `${symbol}: backfill complete`);
        assert.deepEqual(m.data.symbols, SYMBOLS);
        assert.ok(m.data.from < m.data.to && m.data.E === m.data.to, "bounds");
        assert.ok(Number.isInteger(m.data.missing));
        backfilled += m.data.missing!;
      }
      // A marker comes after its backfilled trades and before the live ones that follow the gap.
      const seq = out.all.filter((x) => x.data.s === symbol);
      for (const m of own) {
        const at = seq.findIndex((x) => x === (m as unknown));
        const after = seq.slice(at + 1).find((x) => x.data.e === "aggTrade");
        if (after) assert.ok(after.data.E >= m.data.to, `${symbol}: live trades after the marker start at its 'to'`);
      }
    }
    assert.ok(backfilled > 0, "the drops really missed trades, and the backfill fetched them");
    assert.equal(metricOf(metrics, "binance_backfilled_trades_total"), backfilled);
    assert.ok(logsOf(producer, "rolling connection over", (l) => l.reason === "server announced shutdown").length >= 2);
    assert.ok(logsOf(producer, "rolling connection over", (l) => l.reason === "connection age limit").length >= 2);
    assert.ok(sim.stats().restRateLimited > 0, "429s were answered and waited out");
    const dupes = metricOf(metrics, "binance_duplicates_dropped_total");
    console.log(
      JSON.stringify({
        trades: trades.length,
        drops: DROPS,
        markers: markers.length,
        backfilled,
        duplicatesDropped: dupes,
        rest: { requests: sim.stats().restRequests, rateLimited: sim.stats().restRateLimited },
        rollOvers: { shutdown: rolled("shutdown"), age: rolled("roll-over") },
      }),
    );
  } finally {
    await close();
  }
});

/** Sum of a counter over its label sets in a /metrics text. */
function metricOf(text: string, name: string): number {
  let total = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.split(" ").pop());
  return total;
}
