import { consumerFromEnv, readEnv, runService } from "@cryptostream/common";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { replicaIdFromEnv, replicaPath } from "@cryptostream/common/hdf5/replica-path";
import { windowRules } from "@cryptostream/common/window/window-book";
import { processorEnv } from "./config.js";
import { loadRecentIds } from "./dedupe/load-ids.js";
import { TwitterProcessor } from "./processor.js";
import { loadResumeState } from "./resume/load-resume.js";
import { SentimentWindows } from "./sentiment/sentiment-windows.js";
import { TWEETS_PATH } from "./sink/tweet-table.js";

await runService({ name: "twitter-processor", defaultHealthPort: 9104 }, async ({ log, metrics, fatal }) => {
  const cfg = readEnv(processorEnv);
  // Replicas in one Kafka consumer group each write their own file (HDF5 has one writer).
  const appender = new H5Appender(replicaPath(cfg.TWITTER_H5_PATH, replicaIdFromEnv()));
  appender.prepare();
  // Before consuming: ids stored by earlier runs must be known, or a re-sent page would be stored twice.
  const t0 = performance.now();
  const loaded = await loadRecentIds(appender.filePath, TWEETS_PATH, cfg.TWITTER_DEDUPE_IDS);
  log.info("stored tweet ids loaded for dedupe", {
    storedRows: loaded.storedRows,
    idsLoaded: loaded.readRows,
    ms: Math.round(performance.now() - t0),
  });
  const { consumer, topic, kind } = await consumerFromEnv({
    stream: "twitter",
    defaultEndpoint: "tcp://127.0.0.1:5556",
    log,
  });
  // Kafka replays from the committed offset: learn which windows the file already holds.
  // ZeroMQ replays nothing, and a partial row written at its stop is followed by more rows.
  const replay = kind === "kafka";
  const resume = replay ? await loadResumeState(appender.filePath, cfg.TWITTER_DEDUPE_IDS) : undefined;
  if (resume)
    log.info("resuming over Kafka", {
      closedBefore: resume.closedBefore === undefined ? null : new Date(resume.closedBefore).toISOString(),
      accountedIds: [...resume.accounted.values()].reduce((n, s) => n + s.size, 0),
    });
  const processor = new TwitterProcessor({
    appender,
    consumer,
    topic,
    windows: new SentimentWindows(windowRules(cfg.WINDOW_SECONDS, cfg.ALLOWED_LATENESS_SECONDS)),
    ids: loaded.ids,
    windowSeconds: cfg.WINDOW_SECONDS,
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
    maxFutureSkewMs: cfg.MAX_FUTURE_SKEW_SECONDS * 1000,
    log,
    metrics,
    onFatal: fatal,
    replay,
    ...(resume ? { resume } : {}),
  });
  await processor.start();
  log.info("consuming", {
    transport: kind,
    topic,
    file: appender.filePath,
    windowSeconds: cfg.WINDOW_SECONDS,
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
  });
  return { stop: () => processor.stop(), health: () => ({ ok: processor.healthy(), detail: processor.status() }) };
});
