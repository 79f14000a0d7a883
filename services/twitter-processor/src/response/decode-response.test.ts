import { test } from "node:test";
import assert from "node:assert/strict";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { decodeResponse } from "./decode-response.js";

test("a pickled response decodes", () => {
  const body = { data: [{ id: "1", text: "hi" }], meta: { result_count: 1 } };
  assert.deepEqual(decodeResponse(pickleCodec.encode(body)), { ok: true, value: body });
});

test("garbage is not_pickle; a pickle that would import code is unsafe_pickle", () => {
  const junk = decodeResponse(Buffer.from('{"json": true}'));
  assert.equal(junk.ok, false);
  assert.equal(!junk.ok && junk.reason, "not_pickle");
  assert.equal((decodeResponse(Buffer.alloc(0)) as { reason: string }).reason, "not_pickle");
  // protocol 2: GLOBAL 'os\nsystem\n', then a string argument, TUPLE1, REDUCE, STOP
  const evil = Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from("cos\nsystem\n", "latin1"),
    Buffer.from([0x58, 2, 0, 0, 0]),
    Buffer.from("id"),
    Buffer.from([0x85, 0x52, 0x2e]),
  ]);
  const r = decodeResponse(evil);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, "unsafe_pickle", JSON.stringify(r));
});
