import assert from "node:assert/strict";
import { test } from "node:test";
import { handleControlMessage } from "./control-messages.js";
import { parseStreamList, parseStreamName } from "./streams.js";

const empty = { streams: new Set<string>(), combined: true };

test("stream names: symbol lowercased, kind kept; bad names rejected", () => {
  assert.deepEqual(parseStreamName("BTCUSDT@ticker"), { name: "btcusdt@ticker", symbol: "btcusdt", kind: "ticker" });
  assert.deepEqual(parseStreamName("ethusdt@aggTrade")?.kind, "aggTrade");
  assert.equal(parseStreamName("btcusdt"), undefined);
  assert.equal(parseStreamName("btc usdt@ticker"), undefined);
  assert.deepEqual(
    parseStreamList("btcusdt@ticker/ethusdt@aggTrade/").map((s) => s.name),
    ["btcusdt@ticker", "ethusdt@aggTrade"],
  );
  assert.throws(() => parseStreamList("btcusdt@ticker/nonsense"), /invalid stream name/);
});

test("SUBSCRIBE answers {result:null,id} and returns the streams to add", () => {
  const out = handleControlMessage(
    '{"method":"SUBSCRIBE","params":["btcusdt@ticker","ethusdt@aggTrade"],"id":1}',
    empty,
  );
  assert.deepEqual(out.reply, { result: null, id: 1 });
  assert.deepEqual(
    out.subscribe?.map((s) => s.name),
    ["btcusdt@ticker", "ethusdt@aggTrade"],
  );
  assert.equal(JSON.stringify(out.reply), '{"result":null,"id":1}');
});

test("UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY", () => {
  const state = { streams: new Set(["btcusdt@ticker"]), combined: false };
  assert.deepEqual(
    handleControlMessage('{"method":"UNSUBSCRIBE","params":["btcusdt@ticker"],"id":2}', state).unsubscribe,
    ["btcusdt@ticker"],
  );
  assert.deepEqual(handleControlMessage('{"method":"LIST_SUBSCRIPTIONS","id":3}', state).reply, {
    result: ["btcusdt@ticker"],
    id: 3,
  });
  const set = handleControlMessage('{"method":"SET_PROPERTY","params":["combined",true],"id":4}', state);
  assert.equal(set.combined, true);
  assert.deepEqual(handleControlMessage('{"method":"GET_PROPERTY","params":["combined"],"id":5}', state).reply, {
    result: false,
    id: 5,
  });
});

test("errors use Binance's codes", () => {
  const code = (text: string) => (handleControlMessage(text, empty).reply.error as { code: number }).code;
  assert.equal(code("{not json"), 3);
  assert.equal(code('{"method":"SUBSCRIBE","params":"btcusdt@ticker","id":1}'), 2);
  assert.equal(code('{"method":"SUBSCRIBE","params":["bad"],"id":1}'), 2);
  assert.equal(code('{"method":"DANCE","id":1}'), 2);
  assert.equal(code('{"method":"SET_PROPERTY","params":["colour",true],"id":1}'), 0);
  assert.equal(code('{"method":"SET_PROPERTY","params":["combined","yes"],"id":1}'), 1);
  assert.equal(code('{"method":"SUBSCRIBE","params":[],"id":{"x":1}}'), 2);
  assert.equal(handleControlMessage('{"method":"DANCE","id":9}', empty).reply.id, 9);
});
