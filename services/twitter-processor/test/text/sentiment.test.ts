import { test } from "node:test";
import assert from "node:assert/strict";
import { preprocess } from "@cryptostream/twitter-processor/text/preprocess";
import {
  NEGATIVE_THRESHOLD,
  POSITIVE_THRESHOLD,
  labelForScore,
  scoreSentiment,
  type SentimentLabel,
} from "@cryptostream/twitter-processor/text/sentiment";
import { LABELED_SET } from "./sentiment-labeled-set.js";

const LABELS: readonly SentimentLabel[] = ["positive", "neutral", "negative"];
const MIN_ACCURACY = 0.85;

test("empty token list scores 0, neutral", () => {
  assert.deepEqual(scoreSentiment([]), { score: 0, label: "neutral" });
});

test("score is the AFINN sum divided by the token count", () => {
  // good = +3, bad = -3, bitcoin is not in AFINN but counts in the denominator.
  assert.equal(scoreSentiment(["good"]).score, 3);
  assert.equal(scoreSentiment(["good", "bitcoin"]).score, 1.5);
  assert.equal(scoreSentiment(["good", "bad", "bitcoin", "eth"]).score, 0);
  assert.equal(scoreSentiment(["bitcoin", "eth"]).label, "neutral");
});

test("natural's negation flips every later token, not just the next one", () => {
  // "not" scores nothing but counts as a token: -3 / 2.
  assert.equal(scoreSentiment(["not", "good"]).score, -1.5);
  // The flip persists past the next word: both good (+3) and great (+3) are negated.
  assert.equal(scoreSentiment(["not", "good", "great"]).score, -2);
  // A second negation does not flip back.
  assert.equal(scoreSentiment(["not", "not", "good"]).score, -1);
  // Words before the negation keep their sign.
  assert.equal(scoreSentiment(["good", "not", "bad"]).score, 2);
  // "never" and "no" are negations too (AFINN's own "no" = -1 is never looked up).
  assert.equal(scoreSentiment(["never", "good"]).score, -1.5);
  assert.equal(scoreSentiment(["no"]).score, 0);
});

test("negation survives preprocessing and reaches the analyzer", () => {
  assert.equal(scoreSentiment(preprocess("This project is good").tokens).label, "positive");
  assert.equal(scoreSentiment(preprocess("This project isn't good").tokens).label, "negative");
  assert.equal(scoreSentiment(preprocess("dont be sad").tokens).label, "positive");
});

test("thresholds: strictly beyond ±0.05 is positive/negative, the band itself is neutral", () => {
  assert.equal(POSITIVE_THRESHOLD, 0.05);
  assert.equal(NEGATIVE_THRESHOLD, -0.05);
  assert.equal(labelForScore(0.0501), "positive");
  assert.equal(labelForScore(0.05), "neutral");
  assert.equal(labelForScore(0), "neutral");
  assert.equal(labelForScore(-0.05), "neutral");
  assert.equal(labelForScore(-0.0501), "negative");
  // One +1 word among 20 tokens sits exactly on the cut-off: neutral. Among 19: positive.
  const filler = (n: number): string[] => Array.from({ length: n }, () => "bitcoin");
  assert.equal(scoreSentiment(["safe", ...filler(19)]).label, "neutral");
  assert.equal(scoreSentiment(["safe", ...filler(18)]).label, "positive");
});

test(`labeled set: accuracy >= ${MIN_ACCURACY * 100}%`, () => {
  assert.ok(LABELED_SET.length >= 40, "the labeled set needs at least 40 sentences");
  // confusion[expected][predicted]
  const confusion = Object.fromEntries(LABELS.map((e) => [e, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Record<
    SentimentLabel,
    Record<SentimentLabel, number>
  >;
  const scores: { expected: SentimentLabel; score: number }[] = [];
  const misses: string[] = [];
  for (const { text, label } of LABELED_SET) {
    const { tokens, cleaned } = preprocess(text);
    const got = scoreSentiment(tokens);
    confusion[label][got.label]++;
    scores.push({ expected: label, score: got.score });
    if (got.label !== label)
      misses.push(`  expected ${label}, got ${got.label} (${got.score.toFixed(3)}): "${cleaned}"`);
  }
  const correct = LABELS.reduce((n, l) => n + confusion[l][l], 0);
  const accuracy = correct / LABELED_SET.length;

  console.log(
    `sentiment labeled set: ${correct}/${LABELED_SET.length} correct, accuracy ${(accuracy * 100).toFixed(1)}%`,
  );
  console.log("confusion (rows expected, columns predicted):");
  console.log(`  ${"".padEnd(9)}${LABELS.map((l) => l.padStart(9)).join("")}`);
  for (const e of LABELS)
    console.log(`  ${e.padEnd(9)}${LABELS.map((p) => String(confusion[e][p]).padStart(9)).join("")}`);
  if (misses.length) console.log(`misses:\n${misses.join("\n")}`);
  const sweep = [0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3].map((cut) => {
    const ok = scores.filter(({ expected, score }) => {
      const label = score > cut ? "positive" : score < -cut ? "negative" : "neutral";
      return label === expected;
    }).length;
    return `±${cut}: ${ok}`;
  });
  console.log(`threshold sweep (correct of ${LABELED_SET.length}): ${sweep.join(", ")}`);

  assert.ok(accuracy >= MIN_ACCURACY, `accuracy ${accuracy.toFixed(3)} < ${MIN_ACCURACY}`);
});
