import { test } from "node:test";
import assert from "node:assert/strict";
import { markDeleted, type PostView, postsChange, postViews } from "./tweets.js";

test("posts come newest first with their label, score and whether they were counted", () => {
  const rows = [
    {
      id: "1",
      created_at: 1000,
      lang: "en",
      text: "old",
      sentiment_label: "neutral",
      sentiment_score: 0,
      in_sentiment: 1,
    },
    {
      id: "2",
      created_at: 2000,
      lang: "ja",
      text: "new  ",
      sentiment_label: "negative",
      sentiment_score: -0.5,
      in_sentiment: 0,
    },
  ];
  assert.deepEqual(postViews(rows), [
    { id: "2", createdAt: 2000, lang: "ja", text: "new  ", label: "negative", score: -0.5, counted: false },
    { id: "1", createdAt: 1000, lang: "en", text: "old", label: "neutral", score: 0, counted: true },
  ]);
  assert.equal(postViews([{ ...rows[0]!, source: "bluesky" }])[0]!.source, "bluesky");
});

test("a post deleted upstream is marked; one without deleted_at is not", () => {
  const [b, a] = postViews([
    { id: "1", created_at: 1, text: "kept", sentiment_score: 0, deleted_at: -1 },
    { id: "2", created_at: 2, text: "", sentiment_score: 0, deleted_at: 5 },
  ]);
  assert.equal(a!.deleted, undefined);
  assert.equal(b!.deleted, true);
});

test("posts deleted after the page got them lose their text; others and those already deleted stay", () => {
  const view = (id: string, o: Partial<PostView> = {}): PostView => ({
    id,
    createdAt: 1,
    lang: "en",
    text: `text ${id}`,
    label: "neutral",
    score: 0,
    counted: true,
    ...o,
  });
  const { posts, changed } = markDeleted(
    [view("1"), view("2"), view("3", { text: "", deleted: true })],
    new Set(["2", "3", "9"]),
  );
  assert.deepEqual(changed, ["2"]);
  assert.deepEqual(
    posts.map((p) => [p.id, p.text, p.deleted ?? false]),
    [
      ["1", "text 1", false],
      ["2", "", true],
      ["3", "", true],
    ],
  );
});

test("a change of the newest posts: new ones on top are prepended, deletes named, anything else a reset", () => {
  const v = (id: string, deleted = false): PostView => ({
    id,
    createdAt: Number(id),
    lang: "en",
    text: deleted ? "" : `t${id}`,
    label: "neutral",
    score: 0,
    counted: true,
    ...(deleted ? { deleted: true as const } : {}),
  });
  assert.deepEqual(postsChange([], [v("1")], 3), { mode: "reset" });
  assert.deepEqual(postsChange([v("2"), v("1")], [v("4"), v("3"), v("2")], 3), {
    mode: "prepend",
    posts: [v("4"), v("3")],
    deleted: [],
  });
  assert.deepEqual(postsChange([v("2"), v("1")], [v("2", true), v("1")], 3), {
    mode: "prepend",
    posts: [],
    deleted: ["2"],
  });
  assert.deepEqual(postsChange([v("2"), v("1")], [v("2")], 3), { mode: "reset" }, "an older post went away");
  assert.deepEqual(postsChange([v("2"), v("1")], [v("9"), v("8")], 3), { mode: "reset" });
});
