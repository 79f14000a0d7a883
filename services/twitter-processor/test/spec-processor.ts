/**
 * The twitter-processor as the specs build it: 10 s windows, 2 s lateness, an
 * hour of allowed clock skew, the test kit's sink settings, a silent logger,
 * and no wall-clock timer (specs drive `tick` and the clock). `overrides`
 * changes single options (the consumer and the clock always come from the spec).
 */
import { type Consumer, type Delivery, Registry, silentLogger, standardMetrics } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { sinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { windowRules } from "@cryptostream/common/window/window-book";
import { specSinkConfig, specStore, newestStoreFile } from "@cryptostream/testkit";
import { RecentIds } from "@cryptostream/twitter-processor/dedupe/recent-ids";
import { type ProcessorDeps, twitterProcessor } from "@cryptostream/twitter-processor/processor";

export function specTwitterProcessor(
  file: string,
  consumer: Consumer,
  now: () => number,
  overrides: Partial<ProcessorDeps> = {},
) {
  const registry = new Registry();
  const metrics = standardMetrics(registry);
  const p = twitterProcessor({
    store: specStore(file, { latenessMs: 2_000 }),
    consumer,
    topic: "twitter",
    rules: windowRules(10, 2),
    ids: new RecentIds(1000),
    windowSeconds: 10,
    latenessSeconds: 2,
    maxFutureSkewMs: 3_600_000,
    sink: specSinkConfig(),
    log: silentLogger,
    metrics,
    sinkMetrics: sinkMetrics(registry),
    now,
    tickMs: 0,
    ...overrides,
  });
  return { p, metrics };
}

/** A maker of deliveries on topic "twitter", partition 0, each value pickled as the producers send it, offsets from 0. */
export function pickledDeliveries(): (value: unknown) => Delivery {
  let offset = 0;
  return (value) => ({
    topic: "twitter",
    key: undefined,
    value: pickleCodec.encode(value),
    partition: 0,
    offset: String(offset++),
  });
}
