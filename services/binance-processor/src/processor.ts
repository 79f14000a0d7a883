/**
 * The binance-processor: the shared sink runtime (consumer lifecycle,
 * flushes, failures, commits, replays) running the market model. The meaning
 * lives in aggregate/, events/ and sink/.
 */
import type { Consumer, Logger, StandardMetrics } from "@cryptostream/common";
import type { H5Appender } from "@cryptostream/common/hdf5/appender";
import type { SinkConfig } from "@cryptostream/common/sink/sink-config";
import type { SinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { SinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import type { ClosedWindow } from "./aggregate/market-aggregator.js";
import { MarketModel, type MarketModelOptions } from "./sink/market-model.js";

export interface ProcessorDeps extends MarketModelOptions {
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

export type MarketProcessor = SinkRuntime<ClosedWindow>;

export function marketProcessor(d: ProcessorDeps): MarketProcessor {
  const model = new MarketModel({
    ...d,
    onEventTime: (s) => d.metrics.lastEventTime.set(s),
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
