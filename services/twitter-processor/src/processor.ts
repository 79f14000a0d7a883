/**
 * The twitter-processor: the shared sink runtime (consumer lifecycle,
 * flushes, failures, commits, replays) running the tweet model. The meaning
 * lives in tweets/, text/, sentiment/, dedupe/ and sink/.
 */
import type { Consumer, Logger, StandardMetrics } from "@cryptostream/common";
import type { H5Appender } from "@cryptostream/common/hdf5/appender";
import type { SinkConfig } from "@cryptostream/common/sink/sink-config";
import type { SinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { SinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import { TweetModel, type TweetModelOptions, type TweetUnit } from "./sink/tweet-model.js";

export interface ProcessorDeps extends TweetModelOptions {
  readonly appender: H5Appender;
  readonly consumer: Consumer;
  readonly topic: string;
  readonly sink: SinkConfig;
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly sinkMetrics: SinkMetrics;
  readonly now?: () => number;
  /** Wall-clock tick period; 0 turns it off (tests). */
  readonly tickMs?: number;
  readonly onCrash?: (err: unknown) => void;
}

export type TwitterProcessor = SinkRuntime<TweetUnit>;

export function twitterProcessor(d: ProcessorDeps): TwitterProcessor {
  const model = new TweetModel({
    ...d,
    onEventTime: (s) => d.metrics.lastEventTime.set(s),
    onIdsLoaded: (c) => {
      d.log.info("stored tweet ids loaded for dedupe", c);
      d.onIdsLoaded?.(c);
    },
  });
  return new SinkRuntime({
    model,
    appender: d.appender,
    consumer: d.consumer,
    topic: d.topic,
    log: d.log,
    metrics: d.metrics,
    sink: d.sinkMetrics,
    flushMs: d.sink.flushMs,
    maxPendingRows: d.sink.maxPendingRows,
    retry: d.sink.retry,
    ...(d.now ? { now: d.now } : {}),
    ...(d.tickMs !== undefined ? { tickMs: d.tickMs } : {}),
    ...(d.onCrash ? { onCrash: d.onCrash } : {}),
  });
}
