import { test } from "node:test";
import assert from "node:assert/strict";
import type { RestAggTrade } from "../backfill/agg-trades-client.js";
import type { BackfillResult } from "../backfill/backfill-symbol.js";
import { type LaneDeps, SymbolLane } from "./symbol-lane.js";

const trade = (a: number): RestAggTrade => ({
  a,
  p: "1.0",
  q: "2.0",
  f: a * 10,
  l: a * 10 + 1,
  T: 1000 + a,
  m: false,
  M: true,
});
const live = (a: number, conn = 1) => ({
  text: JSON.stringify({ stream: "btcusdt@aggTrade", data: { e: "aggTrade", a } }),
  seq: a,
  conn,
});

function lane(stream: "aggTrade" | "ticker", backfill?: LaneDeps["backfill"], maxQueued = 100) {
  const out: Array<Record<string, unknown>> = [];
  const envelopes: Array<Record<string, unknown>> = [];
  let dupes = 0;
  const l = new SymbolLane("BTCUSDT", {
    stream,
    symbols: ["BTCUSDT", "ETHUSDT"],
    publish: (key, text) => {
      assert.equal(key, "BTCUSDT");
      const envelope = JSON.parse(text) as { data: Record<string, unknown> };
      envelopes.push(envelope);
      out.push(envelope.data);
    },
    duplicate: () => dupes++,
    backfill,
    maxQueued,
  });
  return { l, out, envelopes, dupes: () => dupes };
}

test("a new connection's events at or below the last published id are dropped and counted (a roll-over's overlap)", () => {
  const { l, out, dupes } = lane("aggTrade");
  for (const a of [1, 2, 3]) l.live(live(a, 1));
  for (const a of [2, 3, 4, 5]) l.live(live(a, 2));
  assert.deepEqual(
    out.map((d) => d.a),
    [1, 2, 3, 4, 5],
  );
  assert.equal(dupes(), 2);
});

test("once a connection has passed the mark its events pass as received (out of order is not a duplicate)", () => {
  const { l, out, dupes } = lane("ticker");
  const tick = (E: number, conn: number) => ({ text: JSON.stringify({ data: { e: "24hrTicker", E } }), seq: E, conn });
  l.live(tick(10, 1));
  l.live(tick(20, 1));
  l.live(tick(15, 1)); // late, from the same connection: the processor's lateness rules decide
  l.live(tick(20, 2)); // the roll-over's new connection repeats 20
  l.live(tick(30, 2));
  l.live(tick(25, 2));
  assert.deepEqual(
    out.map((d) => d.E),
    [10, 20, 15, 30, 25],
  );
  assert.equal(dupes(), 1);
});

test("after a gap: backfilled trades, then the marker, then the live events that waited", async () => {
  let release!: (r: BackfillResult) => void;
  const asked: number[] = [];
  const { l, out, envelopes } = lane("aggTrade", (req) => {
    asked.push(req.fromId);
    return new Promise((r) => (release = r));
  });
  l.live(live(1));
  l.live(live(2));
  l.gap({ from: 100, to: 200, cause: "drop" }, 2);
  l.live(live(6, 2)); // the new connection resumes at 6; 3..5 were missed
  l.live(live(7, 2));
  assert.deepEqual(asked, [3]);
  assert.equal(out.length, 2, "live events wait while the backfill runs");
  release({ trades: [3, 4, 5, 6, 7].map(trade), complete: true });
  await l.whenIdle();
  assert.deepEqual(
    out.map((d) => d.e + ":" + (d.a ?? d.missing)),
    ["aggTrade:1", "aggTrade:2", "aggTrade:3", "aggTrade:4", "aggTrade:5", "gap:3", "aggTrade:6", "aggTrade:7"],
  );
  const backfilled = out[2]!;
  assert.equal(backfilled.E, backfilled.T, "REST has no E: T stands in");
  assert.deepEqual(
    envelopes.map((e) => e.backfill),
    [undefined, undefined, true, true, true, undefined, undefined, undefined],
    "only backfilled trades say so in their envelope",
  );
  const marker = out[5]!;
  assert.equal(marker.filled, true);
  assert.equal(marker.from, 100);
  assert.equal(marker.to, 200);
});

test("a backfill that ends incomplete still publishes what it got, and the marker says filled=false", async () => {
  const { l, out } = lane("aggTrade", async () => ({ trades: [trade(2)], complete: false, reason: "banned" }));
  l.live(live(1));
  l.gap({ from: 1, to: 2, cause: "stale" }, 2);
  l.live(live(5, 2));
  await l.whenIdle();
  assert.deepEqual(
    out.map((d) => d.e + ":" + (d.a ?? d.filled)),
    ["aggTrade:1", "aggTrade:2", "gap:false", "aggTrade:5"],
  );
});

test("too many live events waiting cuts the backfill short", async () => {
  let aborted = false;
  const { l, out } = lane(
    "aggTrade",
    (req) =>
      new Promise((resolve) =>
        req.signal.addEventListener("abort", () => {
          aborted = true;
          resolve({ trades: [], complete: false, reason: "aborted" });
        }),
      ),
    3,
  );
  l.live(live(1));
  l.gap({ from: 1, to: 2, cause: "drop" }, 2);
  for (const a of [10, 11, 12, 13]) l.live(live(a, 2));
  await l.whenIdle();
  assert.ok(aborted);
  assert.deepEqual(
    out.map((d) => d.e + ":" + (d.a ?? d.filled)),
    ["aggTrade:1", "gap:false", "aggTrade:10", "aggTrade:11", "aggTrade:12", "aggTrade:13"],
  );
});

test("a symbol that never traded before the gap gets an unfilled marker without a backfill", async () => {
  let called = false;
  const { l, out } = lane("aggTrade", async () => {
    called = true;
    return { trades: [], complete: true };
  });
  l.gap({ from: 1, to: 2, cause: "drop" }, 2);
  l.live(live(9));
  await l.whenIdle();
  assert.equal(called, false);
  assert.deepEqual(
    out.map((d) => d.e + ":" + (d.a ?? `${d.filled}/${d.missing}`)),
    ["gap:false/null", "aggTrade:9"],
  );
});

test("ticker: dedupe by event time, the marker goes out before the next live event", async () => {
  const { l, out, dupes } = lane("ticker");
  const tick = (E: number, conn: number) => ({ text: JSON.stringify({ data: { e: "24hrTicker", E } }), seq: E, conn });
  l.live(tick(10, 1));
  l.live(tick(10, 2));
  l.gap({ from: 10, to: 50, cause: "drop" }, 3);
  l.live(tick(50, 3));
  await l.whenIdle();
  assert.deepEqual(
    out.map((d) => `${d.e}:${d.E}`),
    ["24hrTicker:10", "gap:50", "24hrTicker:50"],
  );
  assert.equal(dupes(), 1);
});

test("after a loss without backfilled trades, the new connection's events pass as received", async () => {
  const { l, out, dupes } = lane("ticker");
  const tick = (E: number, conn: number) => ({ text: JSON.stringify({ data: { e: "24hrTicker", E } }), seq: E, conn });
  l.live(tick(100, 1));
  l.gap({ from: 100, to: 90, cause: "drop" }, 2);
  l.live(tick(90, 2)); // older than the mark, but a new event (a replay's out-of-order line)
  await l.whenIdle();
  assert.deepEqual(
    out.map((d) => `${d.e}:${d.E}`),
    ["24hrTicker:100", "gap:90", "24hrTicker:90"],
  );
  assert.equal(dupes(), 0);
});

test("a recorded gap marker is forwarded as received, after the live events that wait behind a backfill", async () => {
  let release!: (r: BackfillResult) => void;
  const { l, out } = lane("aggTrade", () => new Promise((r) => (release = r)));
  const recorded = JSON.stringify({ stream: "btcusdt@aggTrade", data: { e: "gap", s: "BTCUSDT", from: 1, to: 2 } });
  l.forward(recorded); // idle lane: at once
  l.live(live(1));
  l.gap({ from: 100, to: 200, cause: "drop" }, 2);
  l.live(live(4, 2));
  l.forward(recorded);
  l.live(live(5, 2));
  release({ trades: [2, 3, 4].map(trade), complete: true });
  await l.whenIdle();
  assert.deepEqual(
    out.map((d) => d.e + ":" + (d.a ?? d.from)),
    ["gap:1", "aggTrade:1", "aggTrade:2", "aggTrade:3", "gap:100", "aggTrade:4", "gap:1", "aggTrade:5"],
  );
});
