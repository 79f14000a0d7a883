import { test } from "node:test";
import assert from "node:assert/strict";
import { ResumeFrontier } from "./resume-frontier.js";

test("after a crash, windows up to the one of (first event + lateness) are partial; later ones are not", () => {
  const f = new ResumeFrontier(true, 60_000, 5_000);
  f.note("BTC", 90_000); // window 60 s; + lateness still in it
  f.note("BTC", 200_000); // not the first: ignored
  assert.equal(f.partial("BTC", 0), true, "an earlier window still open by lateness");
  assert.equal(f.partial("BTC", 60_000), true);
  assert.equal(f.partial("BTC", 120_000), false);
  assert.equal(f.partial("ETH", 0), true, "a key not seen yet: any window it closes began before");
});

test("a first event within the lateness of a window's end reaches into the next window", () => {
  const f = new ResumeFrontier(true, 60_000, 5_000);
  f.note("BTC", 117_000); // the watermark may already have been in [120 s, 180 s)
  assert.equal(f.partial("BTC", 120_000), true);
  assert.equal(f.partial("BTC", 180_000), false);
});

test("not armed (clean previous stop, or a log that replays): nothing is partial", () => {
  const f = new ResumeFrontier(false, 60_000, 5_000);
  f.note("BTC", 60_000);
  assert.equal(f.partial("BTC", 60_000), false);
});
