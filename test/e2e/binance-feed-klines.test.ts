/**
 * Issue 11, producer side, klines: with BINANCE_KLINES the producer subscribes
 * `<symbol>@kline_<i>` on the same connection and publishes each closed kline
 * once, keyed by symbol, across age roll-overs (both connections deliver the
 * overlap), while the aggTrade stream beside it stays exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep } from "../support/service-process.js";
import { startFeedRun, logsOf, until } from "../support/binance-feed-collector.js";

const SYMBOLS = ["BTCUSDT", "ETHUSDT"];

test("closed klines are published once each, beside an exact aggTrade stream, across roll-overs", async () => {
  const { sim, out, producer, close } = await startFeedRun({
    symbols: SYMBOLS,
    stream: "aggtrade",
    sim: {
      intervalMs: 50,
    },
    producerEnv: {
      // A 1m kline closes only if the run crosses a minute boundary (then it is published once too).
      BINANCE_KLINES: "1s,1m",
      BINANCE_MAX_CONNECTION_SECONDS: "1.7",
    },
  });
  try {
    await until(
      "three age roll-overs",
      () => logsOf(producer, "reconnected", (l) => l.rollOver === "roll-over").length >= 3,
      15_000,
    );
    await sleep(1_200);
    const metrics = await producer.metricsText();
    assert.match(metrics, /^pipeline_rejects_total 0$/m, "no frame rejected");
    assert.equal(await producer.stop(), 0);
    await sleep(300);
    for (const symbol of SYMBOLS) {
      const ofSymbol = out.events("kline").filter((k) => k.data.s === symbol);
      assert.ok(
        ofSymbol.every((k) => (k.data.k as { x: boolean }).x === true),
        `${symbol}: only closed klines are published`,
      );
      for (const interval of ["1s", "1m"]) {
        const starts = ofSymbol
          .filter((k) => k.stream === `${symbol.toLowerCase()}@kline_${interval}`)
          .map((k) => (k.data.k as { t: number }).t);
        for (let i = 1; i < starts.length; i++)
          assert.ok(
            starts[i]! > starts[i - 1]!,
            `${symbol} ${interval}: each kline once, in order (${starts.join(",")})`,
          );
      }
      const klines = ofSymbol.filter((k) => k.stream === `${symbol.toLowerCase()}@kline_1s`);
      assert.ok(klines.length >= 4, `${symbol}: closed 1s klines published (${klines.length})`);
      assert.ok(ofSymbol.length - klines.length <= 1, `${symbol}: at most one 1m kline closes in a run this short`);
      const ids = out
        .events("aggTrade")
        .filter((t) => t.data.s === symbol)
        .map((t) => t.data.a as number);
      for (let i = 1; i < ids.length; i++) assert.equal(ids[i], ids[i - 1]! + 1, `${symbol}: trades exact`);
      // Each closed kline's trade count matches the trades published for its second (past the first one).
      const trades = out.events("aggTrade").filter((t) => t.data.s === symbol);
      for (const k of klines.slice(1, -1)) {
        const kl = k.data.k as { t: number; T: number; n: number };
        const inside = trades.filter((t) => (t.data.T as number) >= kl.t && (t.data.T as number) <= kl.T);
        assert.equal(
          inside.reduce((n, t) => n + (t.data.l as number) - (t.data.f as number) + 1, 0),
          kl.n,
          `${symbol}: kline ${kl.t} counts the published trades`,
        );
      }
    }
    assert.equal(out.markers().length, 0, "roll-overs leave no marker");
  } finally {
    await close();
  }
});
