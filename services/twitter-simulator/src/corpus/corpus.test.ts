import { test } from "node:test";
import assert from "node:assert/strict";
import { extractEntities } from "../entities.js";
import { hashSeed } from "../prng.js";
import { weightedLength } from "../tweet-length.js";
import { authorPool } from "./authors.js";
import { ALL_TEMPLATES, composeTweet, type ComposedTweet } from "./compose.js";

const N = 5000;
function stream(seed: string, n = N): ComposedTweet[] {
  const h = hashSeed(seed);
  const authors = authorPool(h);
  return Array.from({ length: n }, (_, i) => composeTweet(h, i, authors));
}
const tweets = stream("42");

test("the hand-written corpus has at least 150 templates of every sentiment", () => {
  assert.ok(ALL_TEMPLATES.length >= 150, `only ${ALL_TEMPLATES.length} templates`);
  for (const s of ["positive", "negative", "neutral"]) {
    assert.ok(ALL_TEMPLATES.filter((t) => t.sentiment === s).length >= 30, s);
  }
  assert.equal(new Set(ALL_TEMPLATES.map((t) => t.text)).size, ALL_TEMPLATES.length, "no duplicate templates");
});

test("every language of the corpus shows up in a stream of 5000", () => {
  const want = new Set(ALL_TEMPLATES.map((t) => t.lang));
  for (const lang of ["en", "ja", "ru", "ar", "zh", "hi"]) assert.ok(want.has(lang), lang);
  const seen = new Set(tweets.map((t) => t.lang));
  assert.deepEqual([...seen].sort(), [...want].sort());
  const enShare = tweets.filter((t) => t.lang === "en").length / N;
  assert.ok(enShare > 0.55 && enShare < 0.85, `English share ${enShare}`);
});

test("every text fits in 280 weighted characters; some are near the limit or long in bytes", () => {
  let nearLimit = 0;
  let manyBytes = 0;
  let longUtf16 = 0;
  for (const t of tweets) {
    assert.ok(weightedLength(t.text) <= 280, `too long (${weightedLength(t.text)}): ${t.text}`);
    assert.ok(t.text.length > 0);
    if (weightedLength(t.text) >= 250) nearLimit++;
    if (Buffer.byteLength(t.text) > 400) manyBytes++;
    if (t.text.length > 280) longUtf16++;
  }
  assert.ok(nearLimit > 20, `near limit: ${nearLimit}`);
  assert.ok(manyBytes > 20, `over 400 UTF-8 bytes: ${manyBytes}`);
  assert.ok(longUtf16 > 5, `over 280 UTF-16 units: ${longUtf16}`);
});

test("the stream has the awkward features a text pipeline must survive", () => {
  const has = (re: RegExp): number => tweets.filter((t) => re.test(t.text)).length;
  assert.ok(has(/\u200D/u) > 50, "zero-width joiner emoji");
  assert.ok(has(/\n/u) > 50, "line breaks");
  assert.ok(has(/&amp;|&gt;|&lt;/u) > 50, "HTML entities");
  assert.ok(has(/https:\/\/t\.co\/[A-Za-z0-9]{10}/u) > 200, "t.co links");
  assert.ok(has(/\$[A-Z]{2,5}\b/u) > 200, "cashtags");
  assert.ok(has(/\$[0-9]/u) > 200, "prices");
  assert.ok(has(/\p{Extended_Pictographic}/u) > 1000, "emoji");
  assert.ok(tweets.filter((t) => extractEntities(t.text).mentions).length > 300, "mentions");
  assert.ok(tweets.filter((t) => extractEntities(t.text).hashtags).length > 1000, "hashtags");
  // The API escapes &, < and >: no bare ones may appear.
  for (const t of tweets) assert.doesNotMatch(t.text.replace(/&(amp|lt|gt);/gu, ""), /[&<>]/u, t.text);
});

test("retweets are marked and carry the RT prefix; replies start with their mention", () => {
  const rts = tweets.filter((t) => t.isRetweet);
  assert.ok(rts.length / N > 0.08 && rts.length / N < 0.16, `retweet share ${rts.length / N}`);
  for (const t of rts) assert.match(t.text, /^RT @[A-Za-z0-9_]+: /u);
  for (const t of tweets.filter((x) => !x.isRetweet)) assert.doesNotMatch(t.text, /^RT @/u);
  for (const t of tweets.filter((x) => x.inReplyTo)) assert.ok(t.text.startsWith(`@${t.inReplyTo?.username} `));
});

test("the stream is a pure function of the seed", () => {
  const again = stream("42", 300);
  assert.deepEqual(again, tweets.slice(0, 300));
  const other = stream("43", 300);
  const same = other.filter((t, i) => t.text === tweets[i]?.text).length;
  assert.ok(same < 30, `${same} of 300 identical across seeds`);
  // Some short templates repeat verbatim (as bot spam does on the real site), most texts differ.
  assert.ok(new Set(tweets.map((t) => t.text)).size > N * 0.8, "texts are varied");
});

test("public metrics are non-negative integers; retweets have no likes of their own", () => {
  for (const t of tweets) {
    for (const v of Object.values(t.publicMetrics)) assert.ok(Number.isInteger(v) && v >= 0);
    if (t.isRetweet) assert.equal(t.publicMetrics.like_count, 0);
  }
  assert.ok(
    tweets.some((t) => t.publicMetrics.like_count > 100),
    "a few popular tweets",
  );
});
