import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@cryptostream/common";
import { DEFAULT_JETSTREAM_URLS, readBlueskyConfig } from "./config.js";

test("defaults: the six public instances, the crypto terms, every language, 1 s batches, 5 s rewind", () => {
  const c = readBlueskyConfig({});
  assert.deepEqual(c.baseUrls, DEFAULT_JETSTREAM_URLS);
  assert.equal(c.baseUrls.length, 6);
  assert.ok(c.terms.includes("$BTC") && c.terms.includes("bitcoin"));
  assert.deepEqual(c.langs, []);
  assert.equal(c.batchMs, 1000);
  assert.equal(c.rewindUs, 5_000_000);
  assert.equal(c.statePath, "data/bluesky-producer.state.json");
  assert.equal(c.deletes, "published");
});

test("lists and bad values", () => {
  const c = readBlueskyConfig({
    BLUESKY_JETSTREAM_URLS: "ws://127.0.0.1:6008, ws://127.0.0.1:6009",
    BLUESKY_TERMS: "sol, $SOL",
    BLUESKY_LANGS: "en,ja",
  });
  assert.deepEqual(c.baseUrls, ["ws://127.0.0.1:6008", "ws://127.0.0.1:6009"]);
  assert.deepEqual(c.terms, ["sol", "$SOL"]);
  assert.deepEqual(c.langs, ["en", "ja"]);
  assert.throws(
    () => readBlueskyConfig({ BLUESKY_JETSTREAM_URLS: "http://x", BLUESKY_BATCH_MS: "0", BLUESKY_DELETES: "some" }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
  );
});
