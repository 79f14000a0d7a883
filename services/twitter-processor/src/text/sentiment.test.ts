import { test } from "node:test";
import assert from "node:assert/strict";
import { labelForScore, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, scoreSentiment, scoringText } from "./sentiment.js";

const c = (t: string) => scoreSentiment(t).compound;

test("labels cut compound at ±0.05: strictly beyond is positive or negative", () => {
  assert.equal(POSITIVE_THRESHOLD, 0.05);
  assert.equal(NEGATIVE_THRESHOLD, -0.05);
  assert.equal(labelForScore(0.0501), "positive");
  assert.equal(labelForScore(0.05), "neutral");
  assert.equal(labelForScore(-0.05), "neutral");
  assert.equal(labelForScore(-0.0501), "negative");
});

test("scores are VADER's: compound in [-1, 1], pos + neu + neg = 1 (to rounding), all 0 without words", () => {
  for (const t of ["great day!!", "terrible crash 😭", "BTC at 64k", "not bad, but not great either"]) {
    const s = scoreSentiment(t);
    assert.ok(s.compound >= -1 && s.compound <= 1, t);
    assert.ok(Math.abs(s.pos + s.neu + s.neg - 1) <= 0.002, t);
    assert.equal(s.label, labelForScore(s.compound));
  }
  assert.deepEqual(scoreSentiment("   "), { compound: 0, pos: 0, neu: 0, neg: 0, label: "neutral" });
});

test("the analyser sees casing, punctuation and emoji", () => {
  assert.ok(c("bitcoin is GREAT today") > c("bitcoin is great today"));
  assert.ok(c("bitcoin is great today!!!") > c("bitcoin is great today"));
  assert.ok(c("bitcoin today 😭") < 0);
  assert.ok(c("bitcoin today :)") > 0);
  assert.ok(c("bitcoin is not great") < 0);
});

test("entities are decoded first: &lt;3 is the emoticon <3", () => {
  assert.equal(scoringText("I &lt;3 BTC &amp; ETH"), "I <3 BTC & ETH");
  assert.ok(c("I &lt;3 sats") > 0);
});

test("handles and links carry no sentiment, but keep their place", () => {
  assert.equal(scoreSentiment("@happy @winning bitcoin at 64k https://t.co/great").label, "neutral");
  assert.equal(c("@someone GREAT move"), c("@happy GREAT move"));
});

test("crypto words count: bullish, rekt, HODL, to the moon, 🚀", () => {
  assert.equal(scoreSentiment("extremely bullish on $ETH").label, "positive");
  assert.equal(scoreSentiment("not bullish at all").label, "negative");
  assert.equal(scoreSentiment("got rekt on my long").label, "negative");
  assert.equal(scoreSentiment("HODL").label, "positive");
  assert.equal(scoreSentiment("$SOL to the moon").label, "positive");
  assert.equal(scoreSentiment("$BTC 🚀🚀").label, "positive");
  assert.equal(scoreSentiment("another rug pull, devs gone").label, "negative");
});
