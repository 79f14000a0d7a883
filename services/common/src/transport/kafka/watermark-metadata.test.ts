import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_WATERMARK_BUDGET,
  decodeWatermarkMetadata,
  decodeWatermarks,
  encodeWatermarks,
} from "./watermark-metadata.js";

const T0 = Date.UTC(2026, 11, 1, 21, 0, 0);
const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

test("round trip: every key and watermark comes back", () => {
  const m = new Map([
    ["BTCUSDT", T0 + 60_000],
    ["ETHUSDT", T0],
    ["SOLUSDT", T0 - 86_400_000],
  ]);
  const s = encodeWatermarks(m);
  assert.deepEqual(decodeWatermarks(s), m);
  assert.deepEqual(decodeWatermarkMetadata(s), { watermarks: m, dropped: 0 });
  assert.ok(!s.includes('"d"'), "nothing left out, nothing said");
  assert.equal(
    encodeWatermarks(new Map([...m].reverse())),
    s,
    "the same map gives the same string, whatever the order",
  );
});

test("compact: base-36 deltas from the newest watermark", () => {
  const s = encodeWatermarks(
    new Map([
      ["a", T0],
      ["b", T0 - 35],
    ]),
  );
  assert.equal(s, `{"cswm":1,"b":"${T0.toString(36)}","k":{"a":"0","b":"z"}}`);
  // 100 symbols a minute apart: about 22 bytes each.
  const many = new Map(Array.from({ length: 100 }, (_, i) => [`SYM${i}USDT`, T0 - i * 60_000] as [string, number]));
  const enc = encodeWatermarks(many);
  assert.ok(bytes(enc) < 2_300, `${bytes(enc)} bytes`);
  assert.deepEqual(decodeWatermarks(enc), many);
});

test("empty map, odd keys, odd values", () => {
  assert.deepEqual(decodeWatermarkMetadata(encodeWatermarks(new Map())), { watermarks: new Map(), dropped: 0 });
  const odd = new Map([
    ['quote"and\\slash', T0],
    ["__proto__", T0 - 1],
    ["ünïcødé 🚀", T0 - 2],
    ["", T0 - 3],
    ["constructor", T0 - 4],
  ]);
  const back = decodeWatermarks(encodeWatermarks(odd));
  assert.deepEqual([...back].sort(), [...odd].sort());
  assert.equal(Object.getPrototypeOf(back), Map.prototype);
  // Not finite: nothing to carry. Fractions round down (a lower watermark lets more in).
  const m = new Map([
    ["a", T0 + 0.9],
    ["none", -Infinity],
    ["nan", NaN],
  ]);
  assert.deepEqual(decodeWatermarks(encodeWatermarks(m)), new Map([["a", T0]]));
  // Negative and small times.
  const early = new Map([
    ["x", -5_000],
    ["y", 3],
  ]);
  assert.deepEqual(decodeWatermarks(encodeWatermarks(early)), early);
});

test("over budget: keeps the newest watermarks, within the budget, and says how many it left out", () => {
  const n = 1_000;
  const m = new Map(
    Array.from({ length: n }, (_, i) => [`KEY-${String(i).padStart(4, "0")}`, T0 + i * 1_000] as [string, number]),
  );
  const s = encodeWatermarks(m);
  assert.ok(bytes(s) <= DEFAULT_WATERMARK_BUDGET, `${bytes(s)} bytes`);
  assert.ok(bytes(s) > DEFAULT_WATERMARK_BUDGET - 40, `uses the budget: ${bytes(s)} bytes`);
  const back = decodeWatermarkMetadata(s)!;
  assert.equal(back.watermarks.size + back.dropped, n);
  assert.ok(back.dropped > 0 && back.watermarks.size > 100, `kept ${back.watermarks.size}`);
  const kept = [...back.watermarks.keys()].sort();
  const newest = [...m.keys()].sort().slice(n - back.watermarks.size);
  assert.deepEqual(kept, newest, "the newest ones");
  for (const [k, w] of back.watermarks) assert.equal(w, m.get(k));
  // Every budget from tiny to generous holds, and one more key would not have fitted.
  for (const budget of [60, 61, 100, 257, 1000, 4096]) {
    const e = encodeWatermarks(m, budget);
    assert.ok(bytes(e) <= budget, `budget ${budget}: ${bytes(e)}`);
    const d = decodeWatermarkMetadata(e)!;
    assert.equal(d.watermarks.size + d.dropped, n);
  }
  // Multi-byte keys count in bytes.
  const wide = new Map(Array.from({ length: 300 }, (_, i) => [`€€€-${i}`, T0 - i] as [string, number]));
  const w = encodeWatermarks(wide, 500);
  assert.ok(bytes(w) <= 500, `${bytes(w)} bytes`);
  assert.ok(decodeWatermarkMetadata(w)!.dropped > 0);
  assert.throws(() => encodeWatermarks(m, 20), RangeError);
});

test("decoding anything that is not ours gives an empty map", () => {
  const good = encodeWatermarks(new Map([["a", T0]]));
  for (const s of [
    null,
    undefined,
    "",
    " ",
    "event-id-3",
    "{",
    "null",
    "[1,2]",
    '{"a":1}',
    '{"cswm":2,"b":"0","k":{}}',
    '{"cswm":1,"b":0,"k":{}}',
    '{"cswm":1,"b":"0","k":[]}',
    '{"cswm":1,"b":"0","k":{"a":5}}',
    '{"cswm":1,"b":"0","k":{"a":"-5"}}',
    '{"cswm":1,"b":"0","k":{"a":"A"}}',
    '{"cswm":1,"b":"zzzzzzzzzzzz","k":{}}',
    '{"cswm":1,"b":"0","k":{},"d":-1}',
    '{"cswm":1,"b":"0","k":{},"d":"3"}',
    good.slice(0, -1),
  ]) {
    assert.equal(decodeWatermarkMetadata(s), undefined, JSON.stringify(s));
    assert.deepEqual(decodeWatermarks(s), new Map(), JSON.stringify(s));
  }
  assert.deepEqual(decodeWatermarks(good), new Map([["a", T0]]));
});
