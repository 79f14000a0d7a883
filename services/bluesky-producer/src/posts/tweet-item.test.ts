import assert from "node:assert/strict";
import { test } from "node:test";
import type { PostFrame } from "./frame.js";
import { postId } from "./post-id.js";
import { createdAtOf, deleteItem, deletesEnvelope, postsEnvelope, toTweetItem } from "./tweet-item.js";

const post = (over: Partial<PostFrame> = {}): PostFrame => ({
  kind: "post",
  did: "did:plc:abc",
  rkey: "3l3qo2vuowo2b",
  timeUs: Date.parse("2024-09-09T19:46:03.000Z") * 1000 + 123,
  text: "gm $BTC",
  createdAt: "2024-09-09T19:46:02.102Z",
  langs: ["en", "ja"],
  ...over,
});

test("a post maps to the tweet item the twitter-processor reads, plus source and uri", () => {
  assert.deepEqual(toTweetItem(post()), {
    id: postId("did:plc:abc", "3l3qo2vuowo2b"),
    text: "gm $BTC",
    created_at: "2024-09-09T19:46:02.102Z",
    author_id: "did:plc:abc",
    lang: "en",
    source: "bluesky",
    uri: "at://did:plc:abc/app.bsky.feed.post/3l3qo2vuowo2b",
  });
  assert.equal(toTweetItem(post({ langs: [] })).lang, "");
});

test("created_at: createdAt normalised to ISO UTC; time_us when missing, unparseable or ahead of time_us", () => {
  assert.equal(createdAtOf(post({ createdAt: "2024-09-09T21:46:02+02:00" })), "2024-09-09T19:46:02.000Z");
  for (const createdAt of [undefined, "yesterday", "2024-09-10T19:46:02.102Z"])
    assert.equal(createdAtOf(post({ createdAt })), "2024-09-09T19:46:03.000Z", String(createdAt));
  assert.equal(createdAtOf(post({ createdAt: "2020-01-01T00:00:00Z" })), "2020-01-01T00:00:00.000Z", "old is kept");
});

test("envelopes: posts in the twitter response shape, oldest first; deletes apart", () => {
  const a = toTweetItem(post({ rkey: "a" }));
  const b = toTweetItem(post({ rkey: "b" }));
  assert.deepEqual(postsEnvelope([a, b]), {
    data: [a, b],
    meta: { result_count: 2, newest_id: b.id, oldest_id: a.id },
    source: "bluesky",
  });
  assert.throws(() => postsEnvelope([]));
  const d = deleteItem("did:plc:abc", "a", Date.parse("2024-09-09T20:00:00Z") * 1000);
  assert.deepEqual(deletesEnvelope([d]), {
    source: "bluesky",
    deletes: [{ id: a.id, uri: a.uri, deleted_at: "2024-09-09T20:00:00.000Z" }],
  });
});
