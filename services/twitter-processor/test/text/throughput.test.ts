import { test } from "node:test";
import assert from "node:assert/strict";
import { makeSyntheticTweets } from "./synthetic-tweets.js";
import { measureThroughput } from "./throughput.js";

// The processor must sustain 5,000 tweets/s including HDF5 writes; text work is
// budgeted far below that. The floor is kept at the system requirement so a busy
// CI machine does not flake, while a pathological regex (10x slower) still fails.
const FLOOR_TWEETS_PER_SECOND = 5_000;

test("synthetic tweets are 280 characters and deterministic", () => {
  const a = makeSyntheticTweets(50);
  assert.equal(a.length, 50);
  for (const t of a) assert.equal(t.length, 280);
  assert.deepEqual(makeSyntheticTweets(50), a);
});

test(`preprocess + VADER sentiment sustains >= ${FLOOR_TWEETS_PER_SECOND} tweets/s (280 chars, one thread)`, () => {
  const r = measureThroughput(makeSyntheticTweets(20_000), 1);
  console.log(
    `throughput: ${Math.round(r.tweetsPerCpuSecond)} tweets per CPU second, ` +
      `${Math.round(r.tweetsPerWallSecond)} per wall second (${r.tweets} tweets, ${r.wallSeconds.toFixed(3)} s wall)`,
  );
  // CPU time, so that other processes competing for the core do not fail the test.
  assert.ok(r.tweetsPerCpuSecond >= FLOOR_TWEETS_PER_SECOND, `${Math.round(r.tweetsPerCpuSecond)} tweets/s`);
});
