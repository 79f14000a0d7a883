import { test } from "node:test";
import assert from "node:assert/strict";
import { neutralizeTweetMarkup, stripTweetMarkup } from "./tweet-markup.js";

test("strip: the retweet marker, links and mentions go, in either case", () => {
  assert.equal(stripTweetMarkup("RT @Whale: BIG move https://T.CO/x @elon").trim(), "BIG move");
  assert.equal(stripTweetMarkup("mail satoshi@gmx.com"), "mail satoshi@gmx.com");
});

test("neutralize: links and mentions become placeholder tokens in place; the author's punctuation stays", () => {
  assert.equal(neutralizeTweetMarkup("@happy I love https://t.co/AbC!"), "@user I love http://link!");
  assert.equal(neutralizeTweetMarkup("see www.great.com/wow?x=1, t.co/Zz9."), "see http://link, http://link.");
  assert.equal(neutralizeTweetMarkup("RT @a: ok"), "RT @user: ok");
  assert.equal(neutralizeTweetMarkup("mail satoshi@gmx.com"), "mail satoshi@gmx.com");
});
