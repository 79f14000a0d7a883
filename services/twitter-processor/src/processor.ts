/**
 * The twitter-processor: the shared sink runtime (consumer lifecycle,
 * flushes, failures, commits, replays) running the tweet model. The meaning
 * lives in tweets/, text/, sentiment/, dedupe/ and sink/.
 */
import { type SinkDeps, type SinkRuntime, sinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import { ScoringConsumer } from "./score/scoring-consumer.js";
import { TweetModel, type TweetModelOptions, type TweetUnit } from "./sink/tweet-model.js";

export interface ProcessorDeps extends TweetModelOptions, SinkDeps {
  /**
   * "worker": texts are scored (preprocessing + VADER) on a worker thread while the main
   * thread handles the batch before (score/scoring-consumer.ts); transports without a log
   * (ZeroMQ) only. Default "main": everything on the calling thread.
   */
  readonly scoreThread?: "main" | "worker";
}

export type TwitterProcessor = SinkRuntime<TweetUnit>;

export function twitterProcessor(d: ProcessorDeps): TwitterProcessor {
  const model = new TweetModel({
    ...d,
    onIdsLoaded: (c) => {
      d.log.info("stored tweet ids loaded for dedupe", c);
      d.onIdsLoaded?.(c);
    },
  });
  const consumer = d.scoreThread === "worker" && !d.consumer.replays ? new ScoringConsumer(d.consumer) : d.consumer;
  return sinkRuntime(model, { ...d, consumer });
}
