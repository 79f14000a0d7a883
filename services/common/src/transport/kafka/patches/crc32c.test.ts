import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { kafkajsPatched } from "../kafkajs.js";
import { crc32c } from "./crc32c.js";
import { CRC32C_FILE } from "./index.js";
import { requireNow } from "./module-cache.js";

/** kafkajs's own byte-at-a-time implementation, evaluated from its file. */
function originalCrc(): (b: Uint8Array) => number {
  const mod = { exports: undefined as unknown };
  new Function("module", "exports", readFileSync(CRC32C_FILE, "utf8"))(mod, {});
  return mod.exports as (b: Uint8Array) => number;
}

test("crc32c: the standard check value of CRC-32C", () => {
  // CRC-32C("123456789") = 0xE3069283 (RFC 3720, iSCSI).
  assert.equal(crc32c(Buffer.from("123456789")) >>> 0, 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test("crc32c equals kafkajs's on random buffers of every length 0-200 and a few large ones", () => {
  const original = originalCrc();
  for (let n = 0; n <= 200; n++) {
    const b = randomBytes(n);
    assert.equal(crc32c(b), original(b), `length ${n}`);
  }
  for (const n of [4096, 65_537, 1_000_003]) {
    const b = randomBytes(n);
    assert.equal(crc32c(b), original(b), `length ${n}`);
    // A view into a larger buffer, as kafkajs passes slices.
    const view = b.subarray(3, n - 5);
    assert.equal(crc32c(view), original(view));
  }
});

test("kafkajs's record batches use this crc32c", () => {
  assert.equal(kafkajsPatched, true);
  assert.equal(requireNow(CRC32C_FILE), crc32c);
});
