import { test } from "node:test";
import assert from "node:assert/strict";
import { TICKER } from "../aggregate/spec.js";
import { parseMarketMessage } from "./market-event.js";

const symbols = new Set(["BTCUSDT"]);
const ticker = (over: Record<string, unknown> = {}) => ({
  stream: "btcusdt@ticker",
  data: {
    e: "24hrTicker",
    E: 1_700_000_000_000,
    s: "BTCUSDT",
    c: "43251.37",
    b: "43251.36",
    a: "43251.38",
    v: "1234.5",
    q: "53400000.1",
    ...over,
  },
});

test("a combined-stream ticker parses into symbol, time and values in spec order", () => {
  const p = parseMarketMessage(ticker(), TICKER, symbols);
  assert.ok(p.ok);
  assert.equal(p.symbol, "BTCUSDT");
  assert.equal(p.time, 1_700_000_000_000);
  assert.deepEqual([...p.values], [43251.37, 43251.36, 43251.38, 1234.5, 53400000.1]);
});

test("a bare payload is accepted too", () => {
  assert.ok(parseMarketMessage(ticker().data, TICKER, symbols).ok);
});

test("bad input is rejected with a reason", () => {
  const reason = (m: unknown, syms: ReadonlySet<string> | null = symbols) => {
    const p = parseMarketMessage(m, TICKER, syms);
    return p.ok ? "accepted" : p.reason;
  };
  assert.equal(reason([1, 2]), "bad_shape");
  assert.equal(reason("text"), "bad_shape");
  assert.equal(reason({ stream: "x", data: { s: "BTCUSDT" } }), "bad_shape");
  assert.equal(reason(ticker({ e: "aggTrade" })), "wrong_event_type");
  assert.equal(reason(ticker({ s: "NOPEUSDT" })), "unknown_symbol");
  assert.equal(reason(ticker({ s: "NOPEUSDT" }), null), "accepted");
  assert.equal(reason(ticker({ E: "1700000000000" })), "bad_event_time");
  assert.equal(reason(ticker({ E: 1.5 })), "bad_event_time");
  assert.equal(reason(ticker({ c: "NaN" })), "non_numeric");
  assert.equal(reason(ticker({ c: "abc" })), "non_numeric");
  assert.equal(reason(ticker({ b: "" })), "non_numeric");
  assert.equal(reason(ticker({ a: null })), "non_numeric");
  assert.equal(reason(ticker({ v: "Infinity" })), "non_numeric");
});
