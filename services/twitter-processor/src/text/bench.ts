/**
 * Throughput benchmark: node services/twitter-processor/dist/text/bench.js [count]
 * Prints one JSON line for mixed tweets (emoji, non-Latin words: the Unicode path)
 * and one for ASCII-only tweets (the fast path); main thread only (one core).
 */

import { makeSyntheticTweets } from "./synthetic-tweets.js";
import { measureThroughput } from "./throughput.js";

const count = Number(process.argv[2] ?? 100_000);
for (const asciiOnly of [false, true]) {
  const tweets = makeSyntheticTweets(count, 280, 42, asciiOnly);
  const nonAscii = tweets.filter((t) => /[^\x00-\x7f]/.test(t)).length;
  const r = measureThroughput(tweets, 1);
  process.stdout.write(
    JSON.stringify({
      bench: "preprocess+scoreSentiment",
      tweetLength: 280,
      tweets: r.tweets,
      nonAsciiTweets: nonAscii,
      wallSeconds: Number(r.wallSeconds.toFixed(3)),
      cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
      tweetsPerWallSecond: Math.round(r.tweetsPerWallSecond),
      tweetsPerCpuSecond: Math.round(r.tweetsPerCpuSecond),
    }) + "\n",
  );
}
