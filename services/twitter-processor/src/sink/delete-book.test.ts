import { test } from "node:test";
import assert from "node:assert/strict";
import type { InputDelete } from "../tweets/delete-input.js";
import { buildTweetRow, scoreTweet } from "../tweets/tweet-row.js";
import { DeleteBook } from "./delete-book.js";
import { WIDTHS } from "./tweet-table.js";

const del = (id: string, at = 5): InputDelete => ({ id, source: "bluesky", uri: `at://x/${id}`, deletedAt: at });
const row = (id: string) =>
  buildTweetRow(
    { id, source: "bluesky", uri: "", text: "bitcoin up", createdAt: 1, authorId: "", lang: "en" },
    scoreTweet("bitcoin up"),
    0,
    true,
    WIDTHS,
  );
const AT = { partition: -1, offset: -1 };

test("a delete blanks a pending row, records a stored one, and counts an unknown one", () => {
  const b = new DeleteBook(100);
  const pending = row("1");
  assert.equal(b.take(del("1"), pending, false, AT), "pending");
  assert.deepEqual([pending.text.prefix, pending.deletedAt], ["", 5]);
  assert.equal(b.take(del("2"), undefined, true, AT), "stored");
  assert.equal(b.take(del("3"), undefined, false, AT), "unknown");
  assert.equal(b.take(del("2"), undefined, true, AT), "repeat", "not written yet, still recorded");
  const records = b.takeRecords();
  assert.deepEqual(
    records.map((r) => [r.id, r.inFile, r.applied]),
    [
      ["1", false, true],
      ["2", true, false],
    ],
  );
  for (const r of records) b.written(r.id);
  assert.equal(b.take(del("1"), undefined, true, AT), "repeat");
});

test("a post that arrives after its delete is blanked and its delete recorded; reset forgets what is unwritten", () => {
  const b = new DeleteBook(100);
  b.take(del("7", 9), undefined, false, AT);
  const late = row("7");
  assert.equal(b.onPost(late, AT), true);
  assert.equal(late.deletedAt, 9);
  assert.equal(b.onPost(row("8"), AT), false);
  b.reset();
  assert.deepEqual(b.takeRecords(), []);
  assert.equal(b.take(del("7", 9), undefined, true, AT), "stored", "after a reset the log re-delivers it");
});
