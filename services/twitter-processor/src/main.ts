import { consumerFromEnv, readEnv, runService } from "@cryptostream/common";
import { readStoreSettings, storeFromSettings } from "@cryptostream/common/store/store-config";
import { readSinkConfig } from "@cryptostream/common/sink/sink-config";
import { sinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { windowRules } from "@cryptostream/common/window/window-book";
import { DEFAULT_STORE_PATH, processorEnv, SINK_DEFAULTS } from "./config.js";
import { RecentIds } from "./dedupe/recent-ids.js";
import { twitterProcessor } from "./processor.js";

await runService({ name: "twitter-processor", defaultHealthPort: 9104 }, async ({ log, metrics, registry }) => {
  const cfg = readEnv(processorEnv);
  const sink = readSinkConfig("TWITTER", SINK_DEFAULTS);
  // Replicas in one Kafka consumer group each write their own files (HDF5 has one writer).
  const stored = readStoreSettings("TWITTER", DEFAULT_STORE_PATH);
  const store = storeFromSettings(stored, {
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
    log,
    maxWriteShare: sink.maxWriteShare,
  });
  const { consumer, topic, kind } = await consumerFromEnv({
    stream: "twitter",
    defaultEndpoint: "tcp://127.0.0.1:5556",
    log,
  });
  // One counter, no log line per delete: most deletes under BLUESKY_DELETES=all are of posts never stored.
  const deletes = registry.counter(
    "twitter_deletes_total",
    "Post deletes taken, by outcome: pending (blanked before its write), stored (blanked in the file), unknown (a post this file does not hold), repeat (recorded already).",
  );
  const processor = twitterProcessor({
    store,
    consumer,
    topic,
    rules: windowRules(cfg.WINDOW_SECONDS, cfg.ALLOWED_LATENESS_SECONDS),
    ids: new RecentIds(cfg.TWITTER_DEDUPE_IDS),
    windowSeconds: cfg.WINDOW_SECONDS,
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
    maxFutureSkewMs: cfg.MAX_FUTURE_SKEW_SECONDS * 1000,
    sink,
    scoreThread: cfg.TWITTER_SCORE_THREAD,
    log,
    metrics,
    sinkMetrics: sinkMetrics(registry),
    onDelete: (outcome) => deletes.inc({ outcome }),
  });
  await processor.start();
  log.info("consuming", {
    transport: kind,
    topic,
    store: store.dir,
    partition: stored.span,
    windowSeconds: cfg.WINDOW_SECONDS,
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
  });
  return { stop: () => processor.stop(), health: () => ({ ok: processor.healthy(), detail: processor.status() }) };
});
