import { test } from "node:test";
import assert from "node:assert/strict";
import { ResumeFrontier } from "./resume-frontier.js";

test("after a crash, windows up to the first one seen per key are partial; later ones are not", () => {
  const f = new ResumeFrontier(true);
  f.note("BTC", 60_000, 1);
  f.note("BTC", 0, 1); // out of order in the same first batch: the newest window counts
  f.note("BTC", 120_000, 2); // a later batch: ignored
  assert.equal(f.partial("BTC", 0), true, "an earlier window still open by lateness");
  assert.equal(f.partial("BTC", 60_000), true);
  assert.equal(f.partial("BTC", 120_000), false);
  assert.equal(f.partial("ETH", 0), true, "a key not seen yet: any window it closes began before");
});

test("the newest window of the first batch is the frontier, even when the batch starts out of order", () => {
  const f = new ResumeFrontier(true);
  f.note("BTC", 0, 5);
  f.note("BTC", 60_000, 5);
  assert.equal(f.partial("BTC", 60_000), true);
  assert.equal(f.partial("BTC", 120_000), false);
});

test("not armed (clean previous stop, or a log that replays): nothing is partial", () => {
  const f = new ResumeFrontier(false);
  f.note("BTC", 60_000, 1);
  assert.equal(f.partial("BTC", 60_000), false);
});
