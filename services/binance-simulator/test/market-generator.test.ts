import assert from "node:assert/strict";
import { test } from "node:test";
import { createMarketGenerator } from "./market-generator.js";
import type { AggTradePayload, Ticker24hrPayload } from "@cryptostream/binance-simulator/payloads";
import { combinedToJson, payloadToJson } from "@cryptostream/binance-simulator/serialize";

const SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt", "xrpusdt", "adausdt", "solusdt", "dogeusdt"];
const DEC8 = /^-?\d+\.\d{8}$/;
const T0 = 1_700_000_000_000;

const TICKER_FIELDS: Record<string, "string" | "number"> = {
  e: "string",
  E: "number",
  s: "string",
  p: "string",
  P: "string",
  w: "string",
  x: "string",
  c: "string",
  Q: "string",
  b: "string",
  B: "string",
  a: "string",
  A: "string",
  o: "string",
  h: "string",
  l: "string",
  v: "string",
  q: "string",
  O: "number",
  C: "number",
  F: "number",
  L: "number",
  n: "number",
};
const AGG_FIELDS: Record<string, "string" | "number" | "boolean"> = {
  e: "string",
  E: "number",
  s: "string",
  a: "number",
  p: "string",
  q: "string",
  f: "number",
  l: "number",
  T: "number",
  m: "boolean",
  M: "boolean",
};

test("ticker payloads have exactly Binance's fields and types, with consistent values", () => {
  const g = createMarketGenerator({ symbols: SYMBOLS, seed: 42, stream: "ticker" });
  assert.deepEqual(
    g.streams,
    SYMBOLS.map((s) => `${s}@ticker`),
  );
  const lastBySymbol = new Map<string, Ticker24hrPayload>();
  for (let i = 0; i < 7 * 300; i++) {
    const E = T0 + i * 10;
    const msg = g.next(E);
    assert.equal(msg.stream, `${SYMBOLS[i % 7]}@ticker`, "round-robin order");
    const d = msg.data as Ticker24hrPayload;
    assert.deepEqual(Object.keys(d).sort(), Object.keys(TICKER_FIELDS).sort());
    for (const [k, t] of Object.entries(TICKER_FIELDS))
      assert.equal(typeof d[k as keyof Ticker24hrPayload], t, `field ${k}`);
    assert.equal(d.e, "24hrTicker");
    assert.equal(d.E, E);
    assert.equal(d.s, SYMBOLS[i % 7]!.toUpperCase());
    for (const k of ["p", "w", "x", "c", "Q", "b", "B", "a", "A", "o", "h", "l", "v", "q"] as const)
      assert.match(d[k], DEC8, `field ${k}=${d[k]}`);
    assert.match(d.P, /^-?\d+\.\d{3}$/);
    const [c, b, a, h, l, o] = [d.c, d.b, d.a, d.h, d.l, d.o].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    assert.ok(b > 0 && b < a, `bid ${b} < ask ${a}`);
    assert.ok(b <= c && c <= a, `bid ${b} <= last ${c} <= ask ${a}`);
    assert.ok(l <= c && c <= h, `low ${l} <= last ${c} <= high ${h}`);
    assert.ok(Math.abs(Number(d.p) - (c - o)) < 1e-6, "p = c - o");
    assert.ok(Number(d.Q) > 0 && Number(d.B) > 0 && Number(d.A) > 0);
    assert.equal(d.O, E - 86_400_000);
    assert.equal(d.C, E);
    assert.equal(d.n, d.L - d.F + 1);
    const prev = lastBySymbol.get(d.s);
    if (prev) {
      assert.ok(Number(d.v) > Number(prev.v), "base volume accumulates");
      assert.ok(Number(d.q) > Number(prev.q), "quote volume accumulates");
      assert.ok(d.L > prev.L, "trade ids advance");
      assert.equal(d.F, prev.F);
      assert.equal(d.o, prev.o);
    }
    lastBySymbol.set(d.s, d);
  }
  // Plausible levels: BTC stays within 20 % of its start over a few hundred steps.
  const btc = Number(lastBySymbol.get("BTCUSDT")!.c);
  assert.ok(btc > 50_000 && btc < 80_000, `btc ${btc}`);
});

test("aggTrade payloads have exactly Binance's fields and types; ids advance without gaps", () => {
  const g = createMarketGenerator({ symbols: ["btcusdt", "ethusdt"], seed: 9, stream: "aggTrade" });
  const prev = new Map<string, AggTradePayload>();
  for (let i = 0; i < 1000; i++) {
    const d = g.next(T0 + i).data as AggTradePayload;
    assert.deepEqual(Object.keys(d).sort(), Object.keys(AGG_FIELDS).sort());
    for (const [k, t] of Object.entries(AGG_FIELDS))
      assert.equal(typeof d[k as keyof AggTradePayload], t, `field ${k}`);
    assert.equal(d.e, "aggTrade");
    assert.equal(d.T, d.E);
    assert.match(d.p, DEC8);
    assert.match(d.q, DEC8);
    assert.ok(Number(d.q) > 0);
    assert.ok(d.f <= d.l);
    assert.equal(d.M, true);
    const p = prev.get(d.s);
    if (p) {
      assert.equal(d.a, p.a + 1, "aggregate ids are consecutive");
      assert.equal(d.f, p.l + 1, "trade ids continue");
    }
    prev.set(d.s, d);
  }
});

test("the same seed gives the same sequence; another seed a different one", () => {
  const run = (seed: number) => {
    const g = createMarketGenerator({ symbols: SYMBOLS, seed, stream: ["ticker", "aggTrade"] });
    return Array.from({ length: 500 }, (_, i) => JSON.stringify(g.next(T0 + i)));
  };
  const a = run(7);
  assert.deepEqual(run(7), a);
  const b = run(8);
  assert.notDeepEqual(b, a);
  assert.equal(a.filter((m) => m.includes('"aggTrade"')).length, 250, "both kinds alternate");
});

test("the fast serialiser is byte-identical to JSON.stringify", () => {
  const g = createMarketGenerator({ symbols: [...SYMBOLS, "pepeusdt"], seed: 3, stream: ["ticker", "aggTrade"] });
  for (let i = 0; i < 2000; i++) {
    const msg = g.next(T0 + i * 7);
    assert.equal(combinedToJson(msg), JSON.stringify(msg));
    assert.equal(payloadToJson(msg.data), JSON.stringify(msg.data));
  }
});

test("unknown symbols get a plausible profile", () => {
  const g = createMarketGenerator({ symbols: ["pepeusdt"], seed: 1 });
  const d = g.next(T0).data as Ticker24hrPayload;
  assert.equal(d.s, "PEPEUSDT");
  assert.ok(Number(d.c) > 0 && Number(d.b) < Number(d.a));
});

// Throughput is measured by bench (about 200k+/s on an idle core); this only catches a
// pathological slowdown, with a bound low enough for a CI machine running tests in parallel.
test("generation plus serialisation is not pathologically slow (> 10k ticker messages/s)", () => {
  const g = createMarketGenerator({ symbols: SYMBOLS, seed: 1 });
  const n = 100_000;
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += combinedToJson(g.next(T0 + i)).length;
  const perSecond = n / ((performance.now() - t0) / 1000);
  console.log(`# generator: ${Math.round(perSecond)} ticker messages/s (${Math.round(bytes / n)} bytes each)`);
  assert.ok(perSecond > 10_000, `only ${Math.round(perSecond)}/s`);
});

test("rejects empty inputs", () => {
  assert.throws(() => createMarketGenerator({ symbols: [] }));
  assert.throws(() => createMarketGenerator({ symbols: ["btcusdt"], stream: [] }));
});
