import { test } from "node:test";
import assert from "node:assert/strict";
import { emojiTable, replaceEmoji, replaceEmojiLikeReference } from "./emoji.js";

const descriptions = new Map([
  ["😁", "beaming face"],
  ["❤", "red heart"],
  ["❤️", "red heart"],
  ["👍", "thumbs up"],
  ["👍🏽", "thumbs up: medium skin tone"],
  ["🏽", "medium skin tone"],
  ["🚀", "rocket"],
]);
const table = emojiTable(descriptions, new Map([["🚀", 2]]));

test("the reference's loop: one code point at a time, a space before a description, none after", () => {
  const ref = emojiTable(descriptions);
  assert.equal(replaceEmojiLikeReference("great😁great", ref), "great beaming facegreat");
  assert.equal(replaceEmojiLikeReference("thanks ❤️", ref), "thanks red heart\ufe0f");
  assert.equal(replaceEmojiLikeReference("👍🏽", ref), "thumbs up medium skin tone");
  assert.equal(replaceEmojiLikeReference("plain text", ref), "plain text");
});

test("longest sequence first, spaced on both sides, leftover selectors and joiners dropped", () => {
  assert.equal(replaceEmoji("great😁great", table), "great beaming face great");
  assert.equal(replaceEmoji("thanks ❤️", table).trim(), "thanks  red heart");
  assert.equal(replaceEmoji("👍🏽", table).trim(), "thumbs up: medium skin tone");
  assert.equal(replaceEmoji("a\u200db\ufe0f", table), "ab");
  assert.equal(replaceEmoji("ok ☺️", table), "ok ☺", "unlisted emoji stay, minus their selector");
});

test("an emoji the lexicon lists stays itself, as a token of its own", () => {
  assert.equal(replaceEmoji("moon🚀🚀", table), "moon 🚀  🚀 ");
  assert.deepEqual([...table.scored], ["🚀"]);
});
