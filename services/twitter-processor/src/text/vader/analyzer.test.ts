import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEmojiLexicon, loadVaderLexicon } from "../lexicon-files.js";
import { normalize, punctuationEmphasis, pyRound, SentimentIntensityAnalyzer } from "./analyzer.js";

const lexicon = loadVaderLexicon();
const emoji = loadEmojiLexicon();
const reference = new SentimentIntensityAnalyzer(lexicon, emoji, { reference: true });
const ours = new SentimentIntensityAnalyzer(lexicon, emoji);
const scores = (a: SentimentIntensityAnalyzer, t: string) => {
  const p = a.polarityScores(t);
  return [p.compound, p.pos, p.neu, p.neg];
};

// [compound, pos, neu, neg] as Python vaderSentiment 3.3.2's polarity_scores printed them.
const PRINTED_BY_PYTHON: Array<[string, number[]]> = [
  ["VADER is smart, handsome, and funny.", [0.8316, 0.746, 0.254, 0.0]],
  ["VADER is smart, handsome, and funny!", [0.8439, 0.752, 0.248, 0.0]],
  ["VADER is very smart, handsome, and funny.", [0.8545, 0.701, 0.299, 0.0]],
  ["VADER is VERY SMART, handsome, and FUNNY.", [0.9227, 0.754, 0.246, 0.0]],
  ["VADER is VERY SMART, handsome, and FUNNY!!!", [0.9342, 0.767, 0.233, 0.0]],
  ["VADER is not smart, handsome, nor funny.", [-0.7424, 0.0, 0.354, 0.646]],
  ["The book was good.", [0.4404, 0.492, 0.508, 0.0]],
  ["At least it isn't a horrible book.", [0.431, 0.322, 0.678, 0.0]],
  ["The book was only kind of good.", [0.3832, 0.303, 0.697, 0.0]],
  [
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    [-0.7042, 0.094, 0.579, 0.327],
  ],
  ["Today SUX!", [-0.5461, 0.0, 0.221, 0.779]],
  ["Today only kinda sux! But I'll get by, lol", [0.5249, 0.317, 0.556, 0.127]],
  ["Make sure you :) or :D today!", [0.8633, 0.706, 0.294, 0.0]],
  ["Catch utf-8 emoji such as 💘 and 💋 and 😁", [0.875, 0.417, 0.583, 0.0]],
  ["Not bad at all", [0.431, 0.487, 0.513, 0.0]],
  ["good", [0.4404, 1.0, 0.0, 0.0]],
  ["not good", [-0.3412, 0.0, 0.294, 0.706]],
  ["I do not think it is good", [0.4404, 0.326, 0.674, 0.0]],
  ["good??", [0.504, 1.0, 0.0, 0.0]],
  ["good????", [0.594, 1.0, 0.0, 0.0]],
  ["GOOD day", [0.5622, 0.784, 0.216, 0.0]],
  ["no problem", [0.3089, 0.693, 0.307, 0.0]],
  ["the least good", [-0.3412, 0.0, 0.454, 0.546]],
  ["hate, but love", [0.6652, 0.634, 0.109, 0.257]],
  ["love but hate", [-0.5346, 0.301, 0.116, 0.584]],
  ["good good but bad", [-0.431, 0.404, 0.104, 0.492]],
  ["thanks ❤️", [0.4404, 0.592, 0.408, 0.0]],
  ["great😁great", [0.7964, 0.64, 0.36, 0.0]],
  ["", [0, 0, 0, 0]],
];

test("reference mode prints what Python vaderSentiment 3.3.2 prints, number for number", () => {
  for (const [text, want] of PRINTED_BY_PYTHON) assert.deepEqual(scores(reference, text), want, text);
});

test("the default analyser agrees with the reference on every text without emoji", () => {
  for (const [text, want] of PRINTED_BY_PYTHON)
    if (!/\p{Extended_Pictographic}/u.test(text)) assert.deepEqual(scores(ours, text), want, text);
});

test("emoji sequences are found whole: ❤️ scores as the red heart it is, a glued emoji does not eat the next word", () => {
  // The reference leaves "heart\uFE0F", which no lexicon entry matches: only "thanks" counts.
  assert.equal(ours.polarityScores("thanks ❤️").compound, ours.polarityScores("thanks ❤").compound);
  assert.ok(ours.polarityScores("thanks ❤️").compound > reference.polarityScores("thanks ❤️").compound);
  // "😁great" became "...smiling eyesgreat" there: the second "great" was lost.
  assert.ok(ours.polarityScores("great😁great").compound > reference.polarityScores("great😁great").compound);
});

test("negation reaches three tokens back, not four", () => {
  const c = (t: string) => ours.polarityScores(t).compound;
  assert.ok(c("it is good") > 0);
  assert.ok(c("it is not good") < 0, "one token back");
  assert.ok(c("not it is good") < 0, "three tokens back");
  assert.equal(c("not that it is good"), c("it is good"), "four tokens back: not negated");
  assert.ok(c("it isn't good") < 0, "contractions negate");
});

test("boosters and dampeners, ALL CAPS among lowercase words, and ! change the intensity, not the sign", () => {
  const c = (t: string) => ours.polarityScores(t).compound;
  assert.ok(c("the movie was very good") > c("the movie was good"));
  assert.ok(c("the movie was kind of good") < c("the movie was good"));
  assert.ok(c("the movie was GOOD") > c("the movie was good"));
  assert.equal(c("THE MOVIE WAS GOOD"), c("the movie was good"), "all caps is no emphasis");
  assert.ok(c("the movie was good!!") > c("the movie was good!") && c("the movie was good!") > c("the movie was good"));
  assert.equal(c("the movie was good!!!!!!"), c("the movie was good!!!!"), "at most four ! count");
  assert.ok(c("the movie was bad!!") < c("the movie was bad"));
});

test("normalize is VADER's s / sqrt(s² + 15), within [-1, 1]", () => {
  assert.equal(normalize(0), 0);
  assert.ok(Math.abs(normalize(1.9) - 1.9 / Math.sqrt(1.9 * 1.9 + 15)) < 1e-15);
  assert.ok(normalize(1e6) <= 1 && normalize(-1e6) >= -1);
  assert.equal(normalize(-3), -normalize(3));
});

test("punctuation emphasis: 0.292 per ! up to 4; ? only from two on, 0.96 from four", () => {
  assert.equal(punctuationEmphasis("a!"), 0.292);
  assert.equal(punctuationEmphasis("a!!!!!!!"), 4 * 0.292);
  assert.equal(punctuationEmphasis("a?"), 0);
  assert.equal(punctuationEmphasis("a??"), 0.36);
  assert.equal(punctuationEmphasis("a?????"), 0.96);
});

test("pyRound rounds like Python's round: exact binary ties go to even", () => {
  assert.equal(pyRound(0.0625, 3), 0.062); // toFixed would give 0.063
  assert.equal(pyRound(0.3125, 3), 0.312);
  assert.equal(pyRound(0.1875, 3), 0.188);
  assert.equal(pyRound(-0.0625, 3), -0.062);
  assert.equal(pyRound(0.12345678, 4), 0.1235);
  assert.equal(pyRound(-0.00001, 4), 0);
  assert.ok(!Object.is(pyRound(-0.00001, 4), -0));
});
