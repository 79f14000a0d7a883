import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyFrame } from "./classify.js";

const ticker = JSON.stringify({
  stream: "btcusdt@ticker",
  data: { e: "24hrTicker", E: 1_700_000_000_000, s: "BTCUSDT", c: "1.0" },
});

test("market events are published keyed by their upper-case symbol", () => {
  assert.deepEqual(classifyFrame(ticker, "ticker"), {
    kind: "event",
    symbol: "BTCUSDT",
    eventTime: 1_700_000_000_000,
    seq: 1_700_000_000_000,
  });
});

test("serverShutdown is recognised bare, inside the combined envelope, and wrapped", () => {
  assert.equal(classifyFrame('{"e":"serverShutdown","E":1}', "ticker").kind, "serverShutdown");
  assert.equal(classifyFrame('{"stream":"x","data":{"e":"serverShutdown","E":1}}', "ticker").kind, "serverShutdown");
  assert.equal(classifyFrame('{"event":{"e":"serverShutdown","E":1}}', "ticker").kind, "serverShutdown");
});

test("replies to requests are not events", () => {
  assert.equal(classifyFrame('{"result":null,"id":1}', "ticker").kind, "reply");
  assert.equal(classifyFrame('{"error":{"code":2,"msg":"x"},"id":3}', "ticker").kind, "reply");
});

test("malformed frames are named, not published", () => {
  const reason = (t: string) => {
    const f = classifyFrame(t, "ticker");
    return f.kind === "malformed" ? f.reason : f.kind;
  };
  assert.equal(reason('{"stream":"btcusdt@ticker","data":{"e":"24hrTicker"'), "not JSON");
  assert.equal(reason("[1,2]"), "not a JSON object");
  assert.equal(reason('{"e":"24hrTicker","s":"BTCUSDT","E":1}'), "no stream/data envelope");
  assert.equal(
    reason('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT","E":1}}'),
    "unexpected stream btcusdt@aggTrade",
  );
  assert.equal(reason('{"stream":"btcusdt@ticker","data":{"e":"24hrTicker","E":1}}'), "payload has no symbol");
  assert.equal(
    reason('{"stream":"btcusdt@ticker","data":{"e":"24hrTicker","s":"BTCUSDT"}}'),
    "payload has no event time",
  );
});

test("aggTrade events carry their aggregate trade id as the sequence; one without an id is malformed", () => {
  const ok = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":5,"s":"BTCUSDT","a":42}}';
  assert.deepEqual(classifyFrame(ok, "aggTrade"), { kind: "event", symbol: "BTCUSDT", eventTime: 5, seq: 42 });
  const noId = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":5,"s":"BTCUSDT"}}';
  assert.deepEqual(classifyFrame(noId, "aggTrade"), { kind: "malformed", reason: "aggTrade payload has no trade id" });
});

test("kline frames are told apart from the main stream only when klines are subscribed", () => {
  const k = '{"stream":"ethusdt@kline_1m","data":{"e":"kline","E":9,"s":"ETHUSDT","k":{"t":60000,"x":true}}}';
  assert.deepEqual(classifyFrame(k, "aggTrade", ["kline_5m", "kline_1m"]), {
    kind: "kline",
    stream: "ethusdt@kline_1m",
    symbol: "ETHUSDT",
    eventTime: 9,
    openTime: 60000,
    closed: true,
  });
  assert.equal(classifyFrame(k, "aggTrade").kind, "malformed");
});

test("a gap marker in the input (a replayed recording of published messages) is a marker of its symbol", () => {
  const marker = JSON.stringify({ stream: "btcusdt@aggTrade", data: { e: "gap", E: 5, s: "btcusdt", from: 1, to: 5 } });
  assert.deepEqual(classifyFrame(marker, "aggTrade"), { kind: "marker", symbol: "BTCUSDT" });
  const noSymbol = JSON.stringify({ stream: "btcusdt@aggTrade", data: { e: "gap", E: 5 } });
  assert.equal(classifyFrame(noSymbol, "aggTrade").kind, "malformed");
});
