/**
 * Throughput benchmark: node services/twitter-processor/dist/text/bench.js [count]
 * Prints one JSON line; runs on the main thread only (one core).
 */

import { makeSyntheticTweets } from "./synthetic-tweets.js";
import { measureThroughput } from "./throughput.js";

const count = Number(process.argv[2] ?? 100_000);
const tweets = makeSyntheticTweets(count, 280);
const result = measureThroughput(tweets, 1);
process.stdout.write(
  JSON.stringify({
    bench: "preprocess+scoreSentiment",
    tweetLength: 280,
    tweets: result.tweets,
    seconds: Number(result.seconds.toFixed(3)),
    tweetsPerSecond: Math.round(result.tweetsPerSecond),
  }) + "\n",
);
