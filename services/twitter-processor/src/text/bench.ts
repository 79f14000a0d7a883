/**
 * Throughput benchmark: node services/twitter-processor/dist/text/bench.js [count]
 * Prints one JSON line; runs on the main thread only (one core).
 */

import { makeSyntheticTweets } from "./synthetic-tweets.js";
import { measureThroughput } from "./throughput.js";

const count = Number(process.argv[2] ?? 100_000);
const tweets = makeSyntheticTweets(count, 280);
const r = measureThroughput(tweets, 1);
process.stdout.write(
  JSON.stringify({
    bench: "preprocess+scoreSentiment",
    tweetLength: 280,
    tweets: r.tweets,
    wallSeconds: Number(r.wallSeconds.toFixed(3)),
    cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
    tweetsPerWallSecond: Math.round(r.tweetsPerWallSecond),
    tweetsPerCpuSecond: Math.round(r.tweetsPerCpuSecond),
  }) + "\n",
);
