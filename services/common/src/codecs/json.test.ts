import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "./codec.js";
import { jsonCodec } from "./json.js";

test("JSON round-trips through UTF-8 bytes", () => {
  const v = { s: "BTCUSDT", p: "43251.37", emoji: "🚀", n: [1, 2.5, null, true] };
  const bytes = jsonCodec.encode(v);
  assert.equal(bytes.toString("utf8"), JSON.stringify(v));
  assert.deepEqual(jsonCodec.decode(bytes), v);
});

test("invalid UTF-8 and invalid JSON raise CodecError", () => {
  assert.throws(() => jsonCodec.decode(Buffer.from([0x7b, 0xff, 0x7d])), CodecError);
  assert.throws(() => jsonCodec.decode(Buffer.from("{not json")), CodecError);
});
