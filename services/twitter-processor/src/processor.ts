/**
 * The twitter-processor: the shared sink runtime (consumer lifecycle,
 * flushes, failures, commits, replays) running the tweet model. The meaning
 * lives in tweets/, text/, sentiment/, dedupe/ and sink/.
 */
import { type SinkDeps, type SinkRuntime, sinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import { TweetModel, type TweetModelOptions, type TweetUnit } from "./sink/tweet-model.js";

export interface ProcessorDeps extends TweetModelOptions, SinkDeps {}

export type TwitterProcessor = SinkRuntime<TweetUnit>;

export function twitterProcessor(d: ProcessorDeps): TwitterProcessor {
  const model = new TweetModel({
    ...d,
    onIdsLoaded: (c) => {
      d.log.info("stored tweet ids loaded for dedupe", c);
      d.onIdsLoaded?.(c);
    },
  });
  return sinkRuntime(model, d);
}
