import { consumerFromEnv, readEnv, runService } from "@cryptostream/common";
import { windowRules } from "@cryptostream/common/window/window-book";
import { readStoreSettings, storeFromSettings } from "@cryptostream/common/store/store-config";
import { readSinkConfig } from "@cryptostream/common/sink/sink-config";
import { sinkMetrics } from "@cryptostream/common/sink/sink-metrics";
import { MarketAggregator } from "./aggregate/market-aggregator.js";
import { loadDanfo, reduceWithDanfo } from "./aggregate/reduce-danfo.js";
import { STREAM_SPECS } from "./aggregate/spec.js";
import { DEFAULT_STORE_PATH, processorEnv, SINK_DEFAULTS } from "./config.js";
import { marketProcessor } from "./processor.js";

await runService({ name: "binance-processor", defaultHealthPort: 9102 }, async ({ log, metrics, registry }) => {
  const cfg = readEnv(processorEnv);
  const sink = readSinkConfig("BINANCE", SINK_DEFAULTS);
  const stored = readStoreSettings("BINANCE", DEFAULT_STORE_PATH);
  const spec = STREAM_SPECS[cfg.BINANCE_STREAM === "aggtrade" ? "aggTrade" : "ticker"];
  const symbols = cfg.BINANCE_SYMBOLS.includes("*") ? null : new Set(cfg.BINANCE_SYMBOLS.map((s) => s.toUpperCase()));
  const { consumer, topic, kind } = await consumerFromEnv({
    stream: "binance",
    defaultEndpoint: "tcp://127.0.0.1:5555",
    log,
  });
  const dfd = await loadDanfo();
  const store = storeFromSettings(stored, {
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
    log,
    maxWriteShare: sink.maxWriteShare,
  });
  const rules = windowRules(cfg.WINDOW_SECONDS, cfg.ALLOWED_LATENESS_SECONDS);
  const gapsAfterWrite = registry.counter(
    "binance_gaps_after_write_total",
    "Gap markers that arrived after a window they overlap was written (each such window gets an extra count-0 row with the flag), by filled.",
  );
  const lateBackfill = registry.counter(
    "binance_late_backfill_total",
    "Backfilled trades that came after their window was written (an outage longer than the lateness): counted in an extra row of that window.",
  );
  let lateWindow = "";
  const processor = marketProcessor({
    spec,
    dfd,
    aggregator: () =>
      new MarketAggregator({
        spec,
        rules,
        reduce: cfg.BINANCE_REDUCER === "dataframe" ? (batch) => reduceWithDanfo(dfd, batch) : undefined,
      }),
    store,
    consumer,
    topic,
    symbols,
    windowSeconds: cfg.WINDOW_SECONDS,
    latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
    maxFutureSkewMs: cfg.MAX_FUTURE_SKEW_SECONDS * 1000,
    onGapAfterWrite: (gap) => {
      gapsAfterWrite.inc({ filled: String(gap.filled) });
      log.info("gap marker after a window it overlaps was written; an extra count-0 row carries its flag", {
        symbol: gap.symbol,
        stream: gap.stream,
        from: gap.from,
        to: gap.to,
        cause: gap.cause,
        filled: gap.filled,
      });
    },
    onLateBackfill: (symbol, windowStart) => {
      lateBackfill.inc();
      const key = `${symbol}@${windowStart}`;
      if (key === lateWindow) return;
      lateWindow = key;
      log.info("backfilled trades of a window already written go to an extra row of it", { symbol, windowStart });
    },
    sink,
    log,
    metrics,
    sinkMetrics: sinkMetrics(registry),
  });
  await processor.start();
  log.info("consuming", {
    transport: kind,
    topic,
    stream: spec.stream,
    store: store.dir,
    partition: stored.span,
    windowSeconds: cfg.WINDOW_SECONDS,
    reducer: cfg.BINANCE_REDUCER,
  });
  return { stop: () => processor.stop(), health: () => ({ ok: processor.healthy(), detail: processor.status() }) };
});
