import { test } from "node:test";
import assert from "node:assert/strict";
import { resumeState } from "./resume-state.js";

const W = 60_000;
const row = (windowStart: number, count: number, complete: boolean) => ({
  windowStart,
  windowEnd: windowStart + W,
  count,
  complete,
});
const tw = (id: string, windowStart: number, inSentiment = true) => ({ id, windowStart, inSentiment });

test("closedBefore is the end of the newest complete row; partial rows do not count", () => {
  assert.equal(resumeState([], []).closedBefore, undefined);
  assert.equal(resumeState([row(0, 1, true), row(W, 2, true), row(2 * W, 1, false)], []).closedBefore, 2 * W);
  assert.equal(resumeState([row(0, 1, false)], []).closedBefore, undefined);
});

test("accounted: late rows and the first N rows counted in partial rows of open windows", () => {
  const s = resumeState(
    [row(0, 3, true), row(W, 2, false), row(W, 1, false), row(2 * W, 1, false)],
    [
      tw("0a", 0), // closed window: not needed
      tw("1a", W),
      tw("1late", W, false),
      tw("1b", W),
      tw("2a", 2 * W),
      tw("1c", W), // third of window W: accounted (partials sum to 3)
      tw("1d", W), // fourth: stored after the partial rows, counted again on replay
      tw("2b", 2 * W),
      tw("3a", 3 * W),
    ],
  );
  assert.equal(s.closedBefore, W);
  assert.deepEqual(
    [...s.accounted].map(([ws, ids]) => [ws, [...ids]]),
    [
      [W, ["1a", "1late", "1b", "1c"]],
      [2 * W, ["2a"]],
    ],
  );
});
