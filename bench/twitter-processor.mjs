// Benchmark: the twitter-processor's pipeline in one process, fed pickled search
// responses of 100 tweets (as the API pages them) in transport batches of 10
// responses: pickle decode -> validation + dedupe -> preprocessing + VADER sentiment ->
// windows -> HDF5, on the calling thread. Wall time and CPU time are both reported
// because the machine is shared. Also times the start-up read of stored ids (dedupe)
// from the file the run wrote.
// A component benchmark: it runs the pipeline in this process with the service's sink
// defaults (TWITTER_FLUSH_SECONDS, SINK_MAX_WRITE_SHARE) and the real clock, so the
// writes are paced as the service paces them; the service itself, its transport and its
// scoring thread are measured against the Python reference by
// bench/side-by-side/twitter-rounds.mjs (`npm run bench`), not here.
// Needs `npm run build` first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dist = (p) => path.join(root, "services", p);

export async function benchTwitterProcessor({ tweets = 100_000, perResponse = 100, responsesPerBatch = 10 } = {}) {
  const { Registry, silentLogger, standardMetrics } = await import(dist("common/dist/index.js"));
  const { pickleCodec } = await import(dist("common/dist/codecs/pickle/index.js"));
  const { windowRules } = await import(dist("common/dist/window/window-book.js"));
  const { twitterProcessor } = await import(dist("twitter-processor/dist/processor.js"));
  const { sinkMetrics } = await import(dist("common/dist/sink/sink-metrics.js"));
  const { readRecentIds } = await import(dist("twitter-processor/dist/dedupe/load-ids.js"));
  const { withFile } = await import(dist("common/dist/hdf5/reader.js"));
  const { resolveStoreFiles } = await import(dist("common/dist/store/layout.js"));
  const { FakeConsumer, specStore } = await import(dist("testkit/dist/index.js"));
  const { RecentIds } = await import(dist("twitter-processor/dist/dedupe/recent-ids.js"));
  const { readSinkConfig } = await import(dist("common/dist/sink/sink-config.js"));
  const { SINK_DEFAULTS } = await import(dist("twitter-processor/dist/config.js"));
  const { TWEETS_PATH } = await import(dist("twitter-processor/dist/sink/tweet-table.js"));
  const { scoreTweet } = await import(dist("twitter-processor/dist/tweets/tweet-row.js"));
  const { makeSyntheticTweets } = await import(dist("twitter-processor/test/dist/text/synthetic-tweets.js"));
  const { TEXT_STAGES } = await import(dist("twitter-processor/test/dist/text/throughput.js"));

  // Texts of mixed length (60-280 chars), emoji and non-Latin words included.
  const lengths = [60, 120, 200, 280];
  const texts = lengths
    .flatMap((len, i) => makeSyntheticTweets(Math.ceil(tweets / lengths.length), len, 42 + i))
    .slice(0, tweets);
  const t0 = Date.UTC(2024, 4, 1);
  const baseId = 1_790_000_000_000_000_000n;
  const messages = [];
  for (let start = 0; start < tweets; start += perResponse) {
    const data = [];
    for (let i = Math.min(tweets, start + perResponse) - 1; i >= start; i--) {
      data.push({
        id: String(baseId + BigInt(i)),
        text: texts[i],
        created_at: new Date(t0 + i * 20).toISOString(),
        author_id: "2244994945",
        lang: "en",
        edit_history_tweet_ids: [String(baseId + BigInt(i))],
      });
    }
    messages.push(
      pickleCodec.encode({
        data,
        meta: { result_count: data.length, newest_id: data[0].id, oldest_id: data.at(-1).id },
      }),
    );
  }

  // Text stage alone (preprocess + sentiment), for the breakdown; and the former AFINN
  // scorer on the same texts right after, for the before/after ratio of this stage.
  let cpu = process.cpuUsage();
  let wall = performance.now();
  for (const t of texts) scoreTweet(t);
  const textWall = (performance.now() - wall) / 1000;
  const textCpu = cpuSeconds(process.cpuUsage(cpu));
  cpu = process.cpuUsage();
  for (const t of texts) TEXT_STAGES.afinn(t);
  const afinnCpu = cpuSeconds(process.cpuUsage(cpu));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-twitter-"));
  const file = path.join(dir, "twitter.h5");
  const registry = new Registry();
  const metrics = standardMetrics(registry);
  const consumer = new FakeConsumer({ replays: false });
  // The service's sink settings with no variables set, and its write share on the store.
  const sink = readSinkConfig("TWITTER", SINK_DEFAULTS, {});
  const processor = twitterProcessor({
    store: specStore(file, { latenessMs: 5_000, maxWriteShare: sink.maxWriteShare }),
    consumer,
    topic: "twitter",
    rules: windowRules(60, 5),
    ids: new RecentIds(500_000),
    windowSeconds: 60,
    latenessSeconds: 5,
    maxFutureSkewMs: 3_600_000,
    sink,
    log: silentLogger,
    metrics,
    sinkMetrics: sinkMetrics(registry),
    tickMs: 0,
  });
  await processor.start();
  cpu = process.cpuUsage();
  wall = performance.now();
  let offset = 0;
  for (let i = 0; i < messages.length; i += responsesPerBatch) {
    const batch = messages
      .slice(i, i + responsesPerBatch)
      .map((value) => ({ topic: "twitter", key: undefined, value, partition: 0, offset: String(offset++) }));
    await consumer.deliver(batch);
  }
  await processor.stop();
  const pipeWall = (performance.now() - wall) / 1000;
  const pipeCpu = cpuSeconds(process.cpuUsage(cpu));
  // Rows written counts /sentiment windows too; the rate is of tweets stored.
  // The output is a store: the file itself, or the folder of partition files it names.
  const files = resolveStoreFiles(file);
  let written = 0;
  for (const p of files) written += (await withFile(p, (f) => f.get(TWEETS_PATH)?.shape[0] ?? 0)) ?? 0;
  const fileMb = files.reduce((n, p) => n + fs.statSync(p).size, 0) / 1e6;

  wall = performance.now();
  const recent = new RecentIds(500_000);
  const loaded = { readRows: 0 };
  for (const p of files)
    loaded.readRows += (await withFile(p, (f) => readRecentIds(f, TWEETS_PATH, recent)))?.readRows ?? 0;
  const loadSeconds = (performance.now() - wall) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  const r2 = (x) => Number(x.toFixed(2));
  return {
    name: "twitter-processor: pickle decode + preprocessing + sentiment + windows + HDF5",
    tweets,
    perResponse,
    responsesPerBatch,
    flushes: Math.ceil(messages.length / responsesPerBatch),
    written,
    seconds: r2(pipeWall),
    cpuSeconds: r2(pipeCpu),
    tweetsPerSecond: Math.round(written / pipeWall),
    tweetsPerCpuSecond: Math.round(written / pipeCpu),
    textOnly: {
      seconds: r2(textWall),
      cpuSeconds: r2(textCpu),
      tweetsPerSecond: Math.round(tweets / textWall),
      tweetsPerCpuSecond: Math.round(tweets / textCpu),
      afinnBeforeTweetsPerCpuSecond: Math.round(tweets / afinnCpu),
      nowToBeforeCpuRatio: r2(afinnCpu / textCpu),
    },
    fileMb: r2(fileMb),
    startupIdLoad: { ids: loaded.readRows, seconds: r2(loadSeconds) },
    floor: { tweetsPerSecond: 5_000 },
  };
}

function cpuSeconds(u) {
  return (u.user + u.system) / 1e6;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tweets = Number(process.argv[2] ?? 100_000);
  console.log(JSON.stringify(await benchTwitterProcessor({ tweets }), null, 2));
}
