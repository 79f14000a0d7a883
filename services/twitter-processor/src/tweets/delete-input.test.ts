import { test } from "node:test";
import assert from "node:assert/strict";
import { deletesOfEnvelope } from "./delete-input.js";

test("a delete envelope yields its valid deletes; bad items are counted apart", () => {
  const r = deletesOfEnvelope({
    source: "bluesky",
    deletes: [
      { id: "123", uri: "at://did:plc:x/app.bsky.feed.post/r", deleted_at: "2024-05-01T00:00:01.000Z" },
      { id: "not-a-number", deleted_at: "2024-05-01T00:00:01.000Z" },
      { id: "124", deleted_at: "yesterday" },
      { id: "125", deleted_at: "2024-05-01T00:00:02Z" },
    ],
  });
  assert.ok(r.kind === "deletes");
  assert.deepEqual(
    r.deletes.map((d) => [d.id, d.source, d.uri, d.deletedAt]),
    [
      ["123", "bluesky", "at://did:plc:x/app.bsky.feed.post/r", Date.UTC(2024, 4, 1, 0, 0, 1)],
      ["125", "bluesky", "", Date.UTC(2024, 4, 1, 0, 0, 2)],
    ],
  );
  assert.equal(r.bad.length, 2);
});

test("responses of posts are not delete envelopes; malformed envelopes are refused", () => {
  assert.equal(deletesOfEnvelope({ data: [], meta: { result_count: 0 } }).kind, "none");
  assert.equal(deletesOfEnvelope("text").kind, "none");
  assert.equal(deletesOfEnvelope({ source: "bluesky", deletes: "all" }).kind, "bad_delete");
  assert.equal(deletesOfEnvelope({ source: "nostr", deletes: [] }).kind, "bad_source");
});
