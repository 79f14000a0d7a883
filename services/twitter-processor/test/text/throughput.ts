/**
 * Measures preprocess + scoreSentiment throughput on one thread.
 * Reports both wall-clock and CPU-time rates: on a shared machine (CI, other
 * services busy) the wall rate drops with contention, while the CPU-time rate is
 * what one dedicated core would deliver.
 */

import { performance } from "node:perf_hooks";
import { preprocess } from "@cryptostream/twitter-processor/text/preprocess";
import { scoreSentiment } from "@cryptostream/twitter-processor/text/sentiment";

export interface ThroughputResult {
  tweets: number;
  wallSeconds: number;
  cpuSeconds: number;
  tweetsPerWallSecond: number;
  tweetsPerCpuSecond: number;
}

function runOnce(tweets: readonly string[]): number {
  let sink = 0; // keeps the work observable so it cannot be optimised away
  for (const t of tweets) sink += scoreSentiment(preprocess(t).tokens).score;
  return sink;
}

export function measureThroughput(tweets: readonly string[], warmupRounds = 1): ThroughputResult {
  for (let r = 0; r < warmupRounds; r++) runOnce(tweets);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const sink = runOnce(tweets);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (!Number.isFinite(sink)) throw new Error("scores must be finite");
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    tweets: tweets.length,
    wallSeconds,
    cpuSeconds,
    tweetsPerWallSecond: tweets.length / wallSeconds,
    tweetsPerCpuSecond: tweets.length / cpuSeconds,
  };
}
