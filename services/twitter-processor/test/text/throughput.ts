/**
 * Measures the text stage's throughput on one thread: preprocessing (cleaned
 * text for storage) plus sentiment, with today's VADER analyser or the former
 * AFINN scorer, so both can be timed side by side on the same texts.
 * Reports both wall-clock and CPU-time rates: on a shared machine (CI, other
 * services busy) the wall rate drops with contention, while the CPU-time rate is
 * what one dedicated core would deliver.
 */

import { performance } from "node:perf_hooks";
import { preprocess } from "@cryptostream/twitter-processor/text/preprocess";
import { scoreSentiment } from "@cryptostream/twitter-processor/text/sentiment";
import { afinnScore } from "./afinn-scorer.js";

export interface ThroughputResult {
  tweets: number;
  wallSeconds: number;
  cpuSeconds: number;
  tweetsPerWallSecond: number;
  tweetsPerCpuSecond: number;
}

/** One tweet through the text stage; returns a score so the work cannot be optimised away. */
export type TextStage = (text: string) => number;

export const TEXT_STAGES = {
  /** What the processor does now (tweets/tweet-row.ts scoreTweet). */
  vader: (text: string): number => preprocess(text).tokens.length + scoreSentiment(text).compound,
  /** What it did before: AFINN on the preprocessed tokens. */
  afinn: (text: string): number => afinnScore(preprocess(text).tokens),
} satisfies Record<string, TextStage>;

function runOnce(tweets: readonly string[], stage: TextStage): number {
  let sink = 0;
  for (const t of tweets) sink += stage(t);
  return sink;
}

export function measureThroughput(
  tweets: readonly string[],
  warmupRounds = 1,
  stage: TextStage = TEXT_STAGES.vader,
): ThroughputResult {
  for (let r = 0; r < warmupRounds; r++) runOnce(tweets, stage);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const sink = runOnce(tweets, stage);
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
