import assert from "node:assert/strict";
import { test } from "node:test";
import { postId, postKey, postUri } from "./post-id.js";

// What the twitter-processor accepts today (tweets/tweet-input.ts): 1-19 digits, and stores in 24 bytes.
const TWEET_ID = /^\d{1,19}$/;

test("the id is decimal, below 2^63, without leading zeros, stable and distinct", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = postId(`did:plc:${String(i).padStart(24, "a")}`, `3l3qo2vuowo${i}`);
    assert.match(id, TWEET_ID);
    assert.ok(BigInt(id) < 2n ** 63n && BigInt(id) > 0n);
    assert.ok(!id.startsWith("0"));
    ids.add(id);
  }
  assert.equal(ids.size, 20_000);
  // Pinned: changing the scheme would break dedupe against files already written.
  // Python: int.from_bytes(hashlib.sha256(b"did:plc:abc/k1").digest()[:8], "big") & (2**63 - 1)
  assert.equal(postId("did:plc:abc", "k1"), "100678237755847854");
  assert.notEqual(postId("did:plc:abc", "k1"), postId("did:plc:abd", "k1"));
});

test("the key and the at-uri name the post", () => {
  assert.equal(postKey("did:plc:abc", "k1"), "did:plc:abc/k1");
  assert.equal(postUri("did:plc:abc", "k1"), "at://did:plc:abc/app.bsky.feed.post/k1");
});
