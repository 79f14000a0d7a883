/**
 * Issue 11, producer side: when the REST backfill cannot run (the simulator
 * answers 418, an IP ban, with Retry-After 30 s) the producer sends no more
 * requests while banned, keeps streaming, and every drop's marker says
 * filled=false with bounds that hold exactly the trades it did not publish.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep } from "../support/service-process.js";
import { startFeedRun, logsOf, until } from "../support/binance-feed-collector.js";

const SYMBOLS = ["BTCUSDT", "ETHUSDT"];
const DROPS = 2;

test("aggTrade under a 418 ban: unfilled markers whose bounds hold every unpublished trade, no request while banned", async () => {
  const { sim, out, producer, close } = await startFeedRun({
    symbols: SYMBOLS,
    stream: "aggtrade",
    sim: {
      intervalMs: 40,
      marketAlwaysOn: true,
      rest418Every: 1,
      restRetryAfterS: 30,
    },
    producerEnv: {
      BINANCE_RECONNECT_BASE_MS: "300",
      BINANCE_RECONNECT_MAX_MS: "600",
    },
  });
  try {
    await until("first trades", () => out.events("aggTrade").length > 20);
    for (let i = 1; i <= DROPS; i++) {
      await sleep(1_000);
      const before = logsOf(producer, "reconnected").length;
      sim.dropConnections("reset");
      await until(`reconnect ${i}`, () => logsOf(producer, "reconnected").length > before);
      await until(`markers ${i}`, () => out.markers().length >= i * SYMBOLS.length);
    }
    await sleep(500);
    assert.equal(producer.exitCode, undefined, "still running");
    assert.equal(await producer.stop(), 0);
    await sleep(300);
    assert.equal(sim.stats().restRequests, 1, "one request, answered 418; none while banned");
    let unpublished = 0;
    for (const symbol of SYMBOLS) {
      const own = out.markers().filter((m) => m.data.s === symbol);
      assert.equal(own.length, DROPS);
      for (const m of own) {
        assert.equal(m.data.filled, false);
        assert.equal(m.data.missing, 0, "nothing fetched");
      }
      const ids = out
        .events("aggTrade")
        .filter((t) => t.data.s === symbol)
        .map((t) => t.data.a as number);
      const published = new Set(ids);
      const history = sim.tradeHistory(symbol).filter((h) => h.a >= ids[0]! && h.a <= ids.at(-1)!);
      const lost = history.filter((h) => !published.has(h.a));
      assert.equal(published.size, ids.length, "no repeats");
      for (const h of lost)
        assert.ok(
          own.some((m) => m.data.from < h.T && h.T < m.data.to),
          `${symbol}: unpublished trade ${h.a} (T ${h.T}) lies in a marked gap`,
        );
      unpublished += lost.length;
    }
    assert.ok(unpublished > 0, "trades were really missed");
    console.log(JSON.stringify({ markers: out.markers().length, unpublished, restRequests: sim.stats().restRequests }));
  } finally {
    await close();
  }
});
