import { test } from "node:test";
import assert from "node:assert/strict";
import { compareIds, parseCreatedAt, tweetsOfResponse } from "./tweet-input.js";

const tw = (id: string, at: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: `t${id}`,
  created_at: at,
  ...extra,
});

test("tweets come out oldest first, ties broken by numeric id", () => {
  const r = tweetsOfResponse({
    data: [
      tw("1800000000000000003", "2024-05-01T00:00:02.000Z"),
      tw("999", "2024-05-01T00:00:01.000Z"),
      tw("1000", "2024-05-01T00:00:01.000Z"),
    ],
    meta: { result_count: 3 },
  });
  assert.equal(r.kind, "tweets");
  if (r.kind !== "tweets") return;
  assert.deepEqual(
    r.tweets.map((t) => t.id),
    ["999", "1000", "1800000000000000003"],
  );
  assert.equal(r.tweets[0]!.createdAt, Date.UTC(2024, 4, 1, 0, 0, 1));
  assert.deepEqual(r.bad, []);
});

test("author_id and lang are optional; missing ones become empty strings", () => {
  const r = tweetsOfResponse({
    data: [tw("5", "2024-05-01T00:00:00Z", { author_id: "42", lang: "ja" }), tw("6", "2024-05-01T00:00:00Z")],
    meta: { result_count: 2 },
  });
  assert.ok(r.kind === "tweets");
  assert.deepEqual(
    r.tweets.map((t) => [t.authorId, t.lang]),
    [
      ["42", "ja"],
      ["", ""],
    ],
  );
});

test("bad tweets are listed with a reason while the good ones still come through", () => {
  const r = tweetsOfResponse({
    data: [
      tw("1", "2024-05-01T00:00:00.000Z"),
      { id: 2, text: "numeric id", created_at: "2024-05-01T00:00:00.000Z" },
      { id: "3", created_at: "2024-05-01T00:00:00.000Z" },
      tw("4", "yesterday"),
      { id: "5", text: "no date" },
      "not a tweet",
      tw("12345678901234567890", "2024-05-01T00:00:00.000Z"), // 20 digits: not a snowflake
    ],
    meta: { result_count: 7 },
  });
  assert.ok(r.kind === "tweets");
  assert.deepEqual(
    r.tweets.map((t) => t.id),
    ["1"],
  );
  assert.equal(r.bad.length, 6);
  assert.ok(r.bad.every((b) => b.reason === "bad_tweet"));
  assert.match(
    r.bad.map((b) => b.detail).join("\n"),
    /no string tweet id[\s\S]*tweet 3 has no string text[\s\S]*tweet 4 has a missing or unparseable created_at/,
  );
});

test("result_count 0 without data is empty, not an error; other shapes are no_data", () => {
  assert.deepEqual(tweetsOfResponse({ meta: { result_count: 0 } }), { kind: "empty" });
  assert.equal(tweetsOfResponse({ meta: { result_count: 3 } }).kind, "no_data");
  assert.equal(tweetsOfResponse({ errors: [{ message: "x" }] }).kind, "no_data");
  assert.equal(tweetsOfResponse({ data: "nope", meta: { result_count: 1 } }).kind, "no_data");
  assert.equal(tweetsOfResponse([1, 2]).kind, "no_data");
  assert.equal(tweetsOfResponse(null).kind, "no_data");
});

test("created_at must be an ISO date-time with a zone", () => {
  assert.equal(parseCreatedAt("2024-05-01T12:34:56.789Z"), Date.UTC(2024, 4, 1, 12, 34, 56, 789));
  assert.equal(parseCreatedAt("2024-05-01T12:34:56+02:00"), Date.UTC(2024, 4, 1, 10, 34, 56));
  for (const bad of [
    "2024-05-01",
    "2024-05-01T12:34:56",
    "May 1 2024",
    "2024-13-45T99:00:00Z",
    1714566896000,
    undefined,
  ]) {
    assert.equal(parseCreatedAt(bad), undefined, String(bad));
  }
});

test("ids compare numerically as decimal strings", () => {
  assert.ok(compareIds("999", "1000") < 0);
  assert.ok(compareIds("1800000000000000003", "1800000000000000002") > 0);
  assert.equal(compareIds("7", "7"), 0);
});

test("a response's source names its posts' source (absent: twitter); an unknown one is refused", () => {
  const item = { id: "5", text: "x", created_at: "2024-05-01T00:00:00Z", uri: "at://did:plc:x/app.bsky.feed.post/r" };
  const bsky = tweetsOfResponse({ data: [item], meta: { result_count: 1 }, source: "bluesky" });
  assert.ok(bsky.kind === "tweets");
  assert.deepEqual([bsky.tweets[0]!.source, bsky.tweets[0]!.uri], ["bluesky", item.uri]);
  const tw = tweetsOfResponse({ data: [{ ...item, uri: undefined }], meta: { result_count: 1 } });
  assert.ok(tw.kind === "tweets");
  assert.deepEqual([tw.tweets[0]!.source, tw.tweets[0]!.uri], ["twitter", ""]);
  assert.equal(tweetsOfResponse({ data: [item], source: "mastodon" }).kind, "bad_source");
});
