import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyFrame } from "./frame.js";

const commit = (commit: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ did: "did:plc:abc", time_us: 1725911162329308, kind: "commit", commit, ...extra });

test("a post create becomes a post with its text, createdAt and langs", () => {
  const f = classifyFrame(
    commit({
      rev: "3l3qo2vutsw2b",
      operation: "create",
      collection: "app.bsky.feed.post",
      rkey: "3l3qo2vuowo2b",
      record: { $type: "app.bsky.feed.post", text: "gm $BTC", createdAt: "2024-09-09T19:46:02.102Z", langs: ["en", 3] },
      cid: "bafyreib",
    }),
  );
  assert.deepEqual(f, {
    kind: "post",
    did: "did:plc:abc",
    rkey: "3l3qo2vuowo2b",
    timeUs: 1725911162329308,
    text: "gm $BTC",
    createdAt: "2024-09-09T19:46:02.102Z",
    langs: ["en"],
  });
});

test("a post delete carries no record and becomes a delete", () => {
  const f = classifyFrame(commit({ rev: "r", operation: "delete", collection: "app.bsky.feed.post", rkey: "k" }));
  assert.deepEqual(f, { kind: "post_delete", did: "did:plc:abc", rkey: "k", timeUs: 1725911162329308 });
});

test("updates, other collections, identity and account events only move time", () => {
  const upd = classifyFrame(
    commit({ operation: "update", collection: "app.bsky.feed.post", rkey: "k", record: { text: "x" } }),
  );
  assert.deepEqual(upd, { kind: "other", what: "post_update", timeUs: 1725911162329308 });
  const like = classifyFrame(commit({ operation: "create", collection: "app.bsky.feed.like", rkey: "k", record: {} }));
  assert.equal(like.kind === "other" && like.what, "commit:app.bsky.feed.like");
  for (const kind of ["identity", "account"]) {
    const f = classifyFrame(JSON.stringify({ did: "did:plc:abc", time_us: 5, kind, [kind]: {} }));
    assert.deepEqual(f, { kind: "other", what: kind, timeUs: 5 });
  }
});

test("malformed frames say why", () => {
  const cases: Array<[string, RegExp]> = [
    ["{nope", /not JSON/],
    ["[1]", /not an object/],
    [JSON.stringify({ time_us: 1, kind: "commit", commit: {} }), /no did/],
    [JSON.stringify({ did: "did:plc:a", time_us: "1", kind: "commit" }), /no time_us/],
    [JSON.stringify({ did: "did:plc:a", time_us: 1, kind: "commit" }), /commit object/],
    [commit({ operation: "create", collection: "app.bsky.feed.post", rkey: "k", record: {} }), /without text/],
    [commit({ operation: "upsert", collection: "app.bsky.feed.post", rkey: "k" }), /unknown operation/],
  ];
  for (const [text, why] of cases) {
    const f = classifyFrame(text);
    assert.equal(f.kind, "malformed", text);
    assert.match((f as { reason: string }).reason, why);
  }
});

test("an unknown kind with a time (a server notice) only moves time", () => {
  assert.deepEqual(classifyFrame(JSON.stringify({ time_us: 7, kind: "cursor" })), {
    kind: "other",
    what: "cursor",
    timeUs: 7,
  });
});
