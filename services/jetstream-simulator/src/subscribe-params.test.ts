import assert from "node:assert/strict";
import { test } from "node:test";
import type { JetstreamFrame } from "./frames.js";
import { parseSubscribeParams, type SubscribeParams, wants } from "./subscribe-params.js";

const parse = (q: string): SubscribeParams => {
  const p = parseSubscribeParams(new URLSearchParams(q));
  if ("error" in p) throw new Error(p.error);
  return p;
};
const commit = (collection: string, did = "did:plc:a"): JetstreamFrame => ({
  did,
  time_us: 1,
  kind: "commit",
  commit: { rev: "r", operation: "create", collection, rkey: "k" },
});
const identity: JetstreamFrame = {
  did: "did:plc:a",
  time_us: 1,
  kind: "identity",
  identity: { did: "did:plc:a", handle: "a.test", seq: 1, time: "t" },
};

test("wantedCollections filters commits by NSID and by prefix; identity and account always pass", () => {
  const p = parse("wantedCollections=app.bsky.feed.post&wantedCollections=app.bsky.graph.*");
  assert.ok(wants(p, commit("app.bsky.feed.post")));
  assert.ok(wants(p, commit("app.bsky.graph.follow")));
  assert.ok(!wants(p, commit("app.bsky.feed.like")));
  assert.ok(wants(p, identity));
  assert.ok(wants(parse(""), commit("app.bsky.feed.like")), "no filter: everything");
});

test("wantedDids filters every kind by repo", () => {
  const p = parse("wantedDids=did:plc:b");
  assert.ok(!wants(p, identity));
  assert.ok(wants(p, commit("app.bsky.feed.post", "did:plc:b")));
});

test("cursor: microseconds, 0 or absent means live; bad values and compress=true are refused", () => {
  assert.equal(parse("cursor=1725911162329308").cursorUs, 1725911162329308);
  assert.equal(parse("cursor=0").cursorUs, undefined);
  assert.equal(parse("").cursorUs, undefined);
  for (const q of ["cursor=-5", "cursor=abc", "wantedCollections=not a nsid", "compress=true", "wantedDids=bob"])
    assert.ok("error" in parseSubscribeParams(new URLSearchParams(q)), q);
});
