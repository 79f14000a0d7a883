/** Measures preprocess + scoreSentiment throughput on one thread. */

import { performance } from "node:perf_hooks";
import { preprocess } from "./preprocess.js";
import { scoreSentiment } from "./sentiment.js";

export interface ThroughputResult {
  tweets: number;
  seconds: number;
  tweetsPerSecond: number;
}

export function measureThroughput(tweets: readonly string[], warmupRounds = 1): ThroughputResult {
  let sink = 0; // keeps the work observable so it cannot be optimised away
  for (let r = 0; r < warmupRounds; r++) {
    for (const t of tweets) sink += scoreSentiment(preprocess(t).tokens).score;
  }
  const start = performance.now();
  for (const t of tweets) sink += scoreSentiment(preprocess(t).tokens).score;
  const seconds = (performance.now() - start) / 1000;
  if (Number.isNaN(sink)) throw new Error("unreachable: scores are finite");
  return { tweets: tweets.length, seconds, tweetsPerSecond: tweets.length / seconds };
}
