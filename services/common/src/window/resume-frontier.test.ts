import { test } from "node:test";
import assert from "node:assert/strict";
import { ResumeFrontier } from "./resume-frontier.js";

test("after a crash, windows up to the first one seen per key are partial; later ones are not", () => {
  const f = new ResumeFrontier(true);
  f.note("BTC", 60_000);
  f.note("BTC", 120_000); // not the first: ignored
  assert.equal(f.partial("BTC", 0), true, "an earlier window still open by lateness");
  assert.equal(f.partial("BTC", 60_000), true);
  assert.equal(f.partial("BTC", 120_000), false);
  assert.equal(f.partial("ETH", 0), true, "a key not seen yet: any window it closes began before");
});

test("not armed (clean previous stop, or a log that replays): nothing is partial", () => {
  const f = new ResumeFrontier(false);
  f.note("BTC", 60_000);
  assert.equal(f.partial("BTC", 60_000), false);
});
