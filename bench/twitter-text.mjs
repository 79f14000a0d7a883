// Throughput of the twitter-processor's text stage: node bench/twitter-text.mjs [count]
// Times preprocessing + sentiment with today's analyser (VADER) and with the former AFINN
// scorer on the same texts, side by side in one run, and prints one JSON line per text mix:
// mixed tweets (emoji, non-Latin words: the Unicode paths) and ASCII-only tweets (the fast
// paths). Each scorer runs twice, interleaved (afinn, vader, afinn, vader), and keeps its
// better round, so a slow phase of this shared machine hits both alike. Main thread only (one
// core). Needs `npm run build` first (it imports the compiled test helpers).
import { makeSyntheticTweets } from "../services/twitter-processor/test/dist/text/synthetic-tweets.js";
import { measureThroughput, TEXT_STAGES } from "../services/twitter-processor/test/dist/text/throughput.js";

const count = Number(process.argv[2] ?? 100_000);
for (const asciiOnly of [false, true]) {
  const tweets = makeSyntheticTweets(count, 280, 42, asciiOnly);
  const nonAscii = tweets.filter((t) => /[^\x00-\x7f]/.test(t)).length;
  const best = {};
  for (let round = 0; round < 2; round++)
    for (const name of ["afinn", "vader"]) {
      const r = measureThroughput(tweets, 1, TEXT_STAGES[name]);
      if (!best[name] || r.tweetsPerCpuSecond > best[name].tweetsPerCpuSecond) best[name] = r;
    }
  const rates = (r) => ({
    tweetsPerWallSecond: Math.round(r.tweetsPerWallSecond),
    tweetsPerCpuSecond: Math.round(r.tweetsPerCpuSecond),
  });
  process.stdout.write(
    JSON.stringify({
      bench: "preprocess + sentiment",
      tweetLength: 280,
      tweets: count,
      nonAsciiTweets: nonAscii,
      afinnBefore: rates(best.afinn),
      vaderNow: rates(best.vader),
      vaderToAfinnCpuRatio: Number((best.vader.tweetsPerCpuSecond / best.afinn.tweetsPerCpuSecond).toFixed(2)),
    }) + "\n",
  );
}
