import assert from "node:assert/strict";
import { test } from "node:test";
import { CORPUS } from "./corpus.js";
import { EventGenerator, type HeldEvent } from "./generator.js";

const run = (seed: string, n: number): HeldEvent[] => {
  const g = new EventGenerator(seed);
  return Array.from({ length: n }, (_, i) => g.next(1_700_000_000_000_000 + i * 1000));
};

test("the same seed gives the same stream; another seed another", () => {
  assert.deepEqual(
    run("7", 300).map((e) => e.json),
    run("7", 300).map((e) => e.json),
  );
  assert.notDeepEqual(
    run("7", 50).map((e) => e.json),
    run("8", 50).map((e) => e.json),
  );
});

test("every kind of the protocol appears, shaped as Jetstream sends it", () => {
  const events = run("42", 2000);
  const kinds = new Set(events.map((e) => e.kind));
  for (const k of ["post", "post_update", "post_delete", "like", "repost", "follow", "identity", "account"])
    assert.ok(kinds.has(k as HeldEvent["kind"]), k);
  for (const e of events) {
    const f = JSON.parse(e.json) as Record<string, any>;
    assert.equal(f.time_us, e.timeUs);
    assert.match(f.did, /^did:plc:[a-z2-7]{24}$/);
    if (f.kind !== "commit") continue;
    assert.match(f.commit.rkey, /^[2-7a-z]{13}$/);
    if (f.commit.operation === "delete") {
      assert.equal(f.commit.record, undefined, "deletes carry no record");
      assert.equal(f.commit.cid, undefined);
    } else {
      assert.equal(f.commit.record.$type, f.commit.collection);
      assert.match(f.commit.cid, /^bafyrei/);
    }
  }
  const posts = events.filter((e) => e.kind === "post");
  assert.ok(posts.some((e) => e.crypto) && posts.some((e) => !e.crypto), "posts with and without the terms");
  const langs = new Set(posts.flatMap((e) => ((e.frame as any).commit.record.langs ?? ["none"]) as string[]));
  assert.ok(langs.size >= 8, `several languages: ${[...langs].join(",")}`);
  assert.ok(
    posts.some((e) => (e.frame as any).commit.record.createdAt === undefined),
    "a few lack createdAt",
  );
});

test("deletes name posts created earlier in the stream", () => {
  const events = run("3", 1500);
  const created = new Set<string>();
  for (const e of events) {
    const f = e.frame;
    if (f.kind !== "commit" || f.commit.collection !== "app.bsky.feed.post") continue;
    const key = `${f.did}/${f.commit.rkey}`;
    if (f.commit.operation === "create") created.add(key);
    else assert.ok(created.has(key), `${f.commit.operation} of a known post`);
  }
});

test("the corpus has near misses in several languages on both sides", () => {
  assert.ok(CORPUS.filter((c) => c.crypto).length >= 10);
  assert.ok(CORPUS.filter((c) => !c.crypto).length >= 10);
  assert.ok(CORPUS.some((c) => c.langs.length === 0));
});
