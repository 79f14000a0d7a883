/**
 * The binance-processor as the specs build it: 10 s windows, 2 s lateness, the test kit's
 * sink settings and store, a silent logger, no wall-clock timer (specs drive `tick` and the
 * clock). `overrides` changes single options; the stream spec and symbols come from the spec.
 */
import { type Consumer, Registry, silentLogger, standardMetrics } from "@cryptostream/common";
import { sinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { windowRules } from "@cryptostream/common/window/window-book";
import { specSinkConfig, specStore } from "@cryptostream/testkit";
import { MarketAggregator } from "@cryptostream/binance-processor/aggregate/market-aggregator";
import { loadDanfo } from "@cryptostream/binance-processor/aggregate/reduce-danfo";
import type { StreamSpec } from "@cryptostream/binance-processor/aggregate/spec";
import { marketProcessor, type ProcessorDeps } from "@cryptostream/binance-processor/processor";

export async function specMarketProcessor(
  file: string,
  consumer: Consumer,
  o: {
    readonly spec: StreamSpec;
    readonly symbols: readonly string[];
    readonly now?: () => number;
    readonly overrides?: Partial<ProcessorDeps>;
  },
) {
  const registry = new Registry();
  const metrics = standardMetrics(registry);
  const p = marketProcessor({
    spec: o.spec,
    dfd: await loadDanfo(),
    aggregator: () => new MarketAggregator({ spec: o.spec, rules: windowRules(10, 2) }),
    store: specStore(file, { latenessMs: 2_000 }),
    consumer,
    topic: "binance",
    symbols: new Set(o.symbols),
    windowSeconds: 10,
    latenessSeconds: 2,
    maxFutureSkewMs: Number.MAX_SAFE_INTEGER,
    sink: specSinkConfig(),
    log: silentLogger,
    metrics,
    sinkMetrics: sinkMetrics(registry),
    now: o.now ?? (() => 0),
    tickMs: 0,
    ...o.overrides,
  });
  await p.start();
  return { p, metrics };
}
