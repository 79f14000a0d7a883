import { test } from "node:test";
import assert from "node:assert/strict";
import { gapPayload, parseGapMarker } from "@cryptostream/binance-processor/events/gap-marker";
import { GapFlags, overlaps } from "@cryptostream/binance-processor/gaps/gap-flags";
import { parseKline } from "@cryptostream/binance-processor/events/kline-event";

const marker = (over: Record<string, unknown> = {}) => ({
  stream: "btcusdt@aggTrade",
  data: {
    e: "gap",
    E: 120_000,
    s: "BTCUSDT",
    stream: "btcusdt@aggTrade",
    symbols: ["BTCUSDT", "ETHUSDT"],
    from: 30_000,
    to: 120_000,
    cause: "drop",
    filled: false,
    missing: null,
    ...over,
  },
});

test("a gap marker of the producer's contract parses; missing null reads as -1", () => {
  const p = parseGapMarker(gapPayload(marker())!);
  assert.ok(p.ok);
  assert.deepEqual(p.gap, {
    symbol: "BTCUSDT",
    stream: "btcusdt@aggTrade",
    from: 30_000,
    to: 120_000,
    cause: "drop",
    filled: false,
    missing: -1,
  });
  assert.equal(gapPayload({ stream: "x", data: { e: "aggTrade" } }), undefined);
});

test("markers with missing or wrong fields are rejected", () => {
  for (const bad of [
    { s: undefined },
    { stream: undefined },
    { from: undefined },
    { from: 5, to: 4 },
    { cause: "nap" },
    { filled: "yes" },
    { missing: -3 },
  ]) {
    const p = parseGapMarker(gapPayload(marker(bad))!);
    assert.equal(p.ok, false, JSON.stringify(bad));
  }
});

test("a window is flagged when the open interval (from, to) overlaps it; unfilled wins over filled", () => {
  assert.equal(overlaps({ from: 30_000, to: 60_000 }, 60_000, 120_000), false, "to is not missing");
  assert.equal(overlaps({ from: 59_999, to: 60_001 }, 60_000, 120_000), true);
  assert.equal(overlaps({ from: 120_000, to: 130_000 }, 60_000, 120_000), false, "from is not missing");
  assert.equal(overlaps({ from: 5, to: 5 }, 0, 10), false, "an empty interval flags nothing");
  const flags = new GapFlags("aggTrade");
  const p = (o: Record<string, unknown>) => {
    const r = parseGapMarker(gapPayload(marker(o))!);
    assert.ok(r.ok);
    return r.gap;
  };
  flags.add(p({ from: 10_000, to: 70_000, filled: true }));
  flags.add(p({ from: 65_000, to: 70_000, filled: false }));
  flags.add(p({ stream: "btcusdt@ticker", from: 0, to: 500_000 })); // another table's gap
  assert.deepEqual(
    [0, 60_000, 120_000].map((s) => flags.flag("BTCUSDT", s, s + 60_000)),
    [1, 2, 0],
  );
  assert.equal(flags.flag("ETHUSDT", 0, 60_000), 0, "keyed by the marker's symbol");
});

test("a closed kline parses; an open one is not kept; a broken one is rejected", () => {
  const k = {
    t: 60_000,
    T: 119_999,
    i: "1m",
    o: "1",
    h: "2",
    l: "0.5",
    c: "1.5",
    v: "10",
    q: "12",
    n: 7,
    V: "4",
    Q: "5",
    x: true,
  };
  const p = parseKline({ e: "kline", E: 120_001, s: "BTCUSDT", k });
  assert.ok(p.ok && p.kline);
  assert.equal(p.kline.tradeCount, 7);
  assert.equal(p.kline.takerBuyQuoteVolume, 5);
  const open = parseKline({ e: "kline", E: 1, s: "BTCUSDT", k: { ...k, x: false } });
  assert.ok(open.ok && open.kline === undefined);
  assert.equal(parseKline({ e: "kline", E: 1, s: "BTCUSDT", k: { ...k, h: "x" } }).ok, false);
});
