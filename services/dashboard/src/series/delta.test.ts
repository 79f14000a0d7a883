import { test } from "node:test";
import assert from "node:assert/strict";
import { seriesDelta } from "./delta.js";

const p = (time: number, v = 1) => ({ time, v });

test("the first send is the whole series", () => {
  assert.deepEqual(seriesDelta(undefined, [p(1)]), { mode: "reset", points: [p(1)] });
});

test("new windows and a changed last window are appended in place", () => {
  assert.deepEqual(seriesDelta([p(1), p(2)], [p(1), p(2, 5), p(3)]), { mode: "append", points: [p(2, 5), p(3)] });
  assert.deepEqual(seriesDelta([p(1), p(2)], [p(1), p(2)]), { mode: "append", points: [] });
});

test("the oldest window falling off the bounded series is still an append", () => {
  assert.deepEqual(seriesDelta([p(1), p(2)], [p(2), p(3)]), { mode: "append", points: [p(3)] });
});

test("a change before the last window, or a window gone, needs the whole series", () => {
  assert.equal(seriesDelta([p(1), p(2), p(3)], [p(1, 9), p(2), p(3)]).mode, "reset");
  assert.equal(seriesDelta([p(1), p(2), p(3)], [p(1), p(3)]).mode, "reset");
  assert.equal(seriesDelta([p(5), p(6)], [p(1)]).mode, "reset");
  assert.deepEqual(seriesDelta([p(5), p(6)], []), { mode: "reset", points: [] }, "a series that went away");
});
