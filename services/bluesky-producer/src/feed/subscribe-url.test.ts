import assert from "node:assert/strict";
import { test } from "node:test";
import { subscribeUrl } from "./subscribe-url.js";

test("posts only, uncompressed, with the cursor in microseconds when there is one", () => {
  assert.equal(
    subscribeUrl("wss://jetstream2.us-east.bsky.network/", undefined),
    "wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post",
  );
  const u = new URL(subscribeUrl("ws://127.0.0.1:6008", 1725911162329308.7));
  assert.equal(u.pathname, "/subscribe");
  assert.equal(u.searchParams.get("cursor"), "1725911162329308");
  assert.equal(u.searchParams.get("compress"), null);
  assert.equal(new URL(subscribeUrl("ws://h/base", 0)).pathname, "/base/subscribe");
});

test("a URL that already names /subscribe, with Bluesky's own query, is taken as it is meant", () => {
  const u = new URL(
    subscribeUrl(
      "wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.like&compress=true&wantedDids=did:plc:x",
      42,
    ),
  );
  assert.equal(u.pathname, "/subscribe");
  assert.deepEqual(u.searchParams.getAll("wantedCollections"), ["app.bsky.feed.post"]);
  assert.equal(u.searchParams.get("compress"), null, "we cannot read zstd");
  assert.equal(u.searchParams.get("wantedDids"), "did:plc:x");
  assert.equal(u.searchParams.get("cursor"), "42");
  assert.equal(new URL(subscribeUrl("ws://h/subscribe/", undefined)).pathname, "/subscribe");
});
