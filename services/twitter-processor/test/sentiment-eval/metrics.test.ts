import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracy, macroF1, pearson } from "./metrics.js";

test("accuracy counts exact label matches", () => {
  assert.equal(
    accuracy(["positive", "neutral", "negative", "negative"], ["positive", "negative", "negative", "neutral"]),
    0.5,
  );
  assert.throws(() => accuracy([], []));
});

test("macro-F1 averages per-class F1 over the gold classes", () => {
  // positive: tp 1, fp 1, fn 0 -> 2/3; negative: tp 1, fp 1, fn 1 -> 1/2; neutral: tp 0 -> 0.
  const gold = ["positive", "negative", "negative", "neutral"] as const;
  const pred = ["positive", "negative", "positive", "negative"] as const;
  assert.ok(Math.abs(macroF1(gold, pred) - (2 / 3 + 1 / 2 + 0) / 3) < 1e-12);
  // Two-class gold: neutral predictions lower recall but neutral is not averaged in.
  // positive: tp 1, fn 1 -> 2/3; negative: tp 2, fp 0, fn 0 -> 1.
  assert.ok(
    Math.abs(
      macroF1(["positive", "positive", "negative", "negative"], ["positive", "neutral", "negative", "negative"]) -
        (2 / 3 + 1) / 2,
    ) < 1e-12,
  );
  assert.equal(macroF1(["positive"], ["positive"]), 1);
});

test("pearson is 1 for a linear relation, -1 for an inverse one, NaN for a constant", () => {
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [3, 5, 7, 9]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
});
