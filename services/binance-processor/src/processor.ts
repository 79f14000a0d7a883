/**
 * The binance-processor: the shared sink runtime (consumer lifecycle,
 * flushes, failures, commits, replays) running the market model. The meaning
 * lives in aggregate/, events/ and sink/.
 */
import { type SinkDeps, type SinkRuntime, sinkRuntime } from "@cryptostream/common/sink/sink-runtime";
import { MarketModel, type MarketModelOptions } from "./sink/market-model.js";
import type { MarketUnit } from "./sink/market-unit.js";

export interface ProcessorDeps extends MarketModelOptions, SinkDeps {}

export type MarketProcessor = SinkRuntime<MarketUnit>;

export function marketProcessor(d: ProcessorDeps): MarketProcessor {
  return sinkRuntime(new MarketModel(d), d);
}
