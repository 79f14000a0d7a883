// Throughput of the twitter-processor's text stage: node bench/twitter-text.mjs [count]
// Prints one JSON line for mixed tweets (emoji, non-Latin words: the Unicode path)
// and one for ASCII-only tweets (the fast path); main thread only (one core).
// Needs `npm run build` first (it imports the compiled test helpers).
import { makeSyntheticTweets } from "../services/twitter-processor/test/dist/text/synthetic-tweets.js";
import { measureThroughput } from "../services/twitter-processor/test/dist/text/throughput.js";

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
