import { Outbox, producerFromEnv, readEnv, Rejections, runService } from "@cryptostream/common";
import { AggTradesClient } from "./backfill/agg-trades-client.js";
import { backfillSymbol } from "./backfill/backfill-symbol.js";
import { axiosGet } from "./backfill/http-get.js";
import { producerEnv } from "./config.js";
import { BinanceFeed } from "./feed/binance-feed.js";
import { combinedStreamUrl, connectionSymbols } from "./feed/stream-url.js";
import { FeedPipeline } from "./publish/feed-pipeline.js";

await runService({ name: "binance-producer", defaultHealthPort: 9101 }, async ({ log, metrics, registry }) => {
  const cfg = readEnv(producerEnv);
  const stream = cfg.BINANCE_STREAM === "aggtrade" ? "aggTrade" : "ticker";
  const klineStreams = [...new Set(cfg.BINANCE_KLINES)].map((i) => `kline_${i}`);
  const symbols = connectionSymbols(cfg.BINANCE_SYMBOLS, 1 + klineStreams.length);
  const { producer, topic, kind } = await producerFromEnv({ stream: "binance", defaultEndpoint: "tcp://*:5555", log });
  await producer.start();
  const rejections = new Rejections(metrics.rejects, log);
  const outbox = new Outbox(
    producer,
    topic,
    cfg.BINANCE_OUTBOX_MAX,
    log,
    (n) =>
      rejections.reject(
        "outbox_overflow",
        `transport backlog over ${cfg.BINANCE_OUTBOX_MAX}; oldest event dropped (${n})`,
      ),
    (n) => metrics.messagesOut.inc(undefined, n),
  );
  outbox.start();

  const rateLimited = registry.counter("binance_rest_rate_limited_total", "REST answers 429/418, by status.");
  const rest = new AggTradesClient({
    baseUrl: cfg.BINANCE_REST_URL,
    get: axiosGet,
    weightLimit: cfg.BINANCE_REST_WEIGHT_LIMIT,
    requestTimeoutMs: cfg.BINANCE_REST_TIMEOUT_MS,
    log,
    onRateLimited: (status) => rateLimited.inc({ status: String(status) }),
  });
  const pipeline = new FeedPipeline({
    stream,
    symbols,
    klineStreams,
    // Published as received: the JSON text Binance sent, UTF-8 encoded (markers and backfilled trades in the same envelope).
    publish: (key, text) => outbox.push({ key, value: Buffer.from(text, "utf8") }),
    onEventTime: (E) => metrics.lastEventTime.set(E / 1000),
    backfill:
      stream === "aggTrade" && cfg.BINANCE_BACKFILL
        ? ({ symbol, fromId, firstLiveId, signal }) =>
            backfillSymbol(rest, {
              symbol,
              fromId,
              firstLiveId,
              maxTrades: cfg.BINANCE_BACKFILL_MAX_TRADES,
              signal: AbortSignal.any([signal, AbortSignal.timeout(cfg.BINANCE_BACKFILL_TIMEOUT_MS)]),
            })
        : undefined,
    maxQueued: cfg.BINANCE_BACKFILL_QUEUE_MAX,
    metrics: {
      duplicates: registry.counter(
        "binance_duplicates_dropped_total",
        "Events dropped because they were already published (roll-over overlap, backfill), by stream.",
      ),
      markers: registry.counter(
        "binance_gap_markers_total",
        "Gap markers published (one per symbol), by cause and filled.",
      ),
      backfilled: registry.counter(
        "binance_backfilled_trades_total",
        "Missed aggregate trades fetched over REST and published.",
      ),
      unfilled: registry.counter("binance_backfill_unfilled_total", "Backfills that ended incomplete, by reason."),
    },
    rejections,
    log,
  });

  const feed: BinanceFeed = new BinanceFeed(
    {
      url: combinedStreamUrl(cfg.BINANCE_WS_URL, symbols, stream, klineStreams),
      backoff: { baseMs: cfg.BINANCE_RECONNECT_BASE_MS, maxMs: cfg.BINANCE_RECONNECT_MAX_MS, floorMs: 100 },
      staleMs: cfg.BINANCE_STALE_SECONDS * 1000,
      maxConnectionMs: cfg.BINANCE_MAX_CONNECTION_SECONDS * 1000,
      handshakeTimeoutMs: 10_000,
      rollOverTimeoutMs: cfg.BINANCE_ROLLOVER_TIMEOUT_MS,
    },
    {
      message(text, _at, conn) {
        metrics.messagesIn.inc();
        return pipeline.frame(text, conn);
      },
      kindOf: (text) => pipeline.kind(text),
      connected({ gapMs }) {
        if (gapMs !== undefined) metrics.reconnects.inc();
      },
      lost: (cause) => pipeline.lost(cause),
    },
    log,
  );
  feed.start();
  log.info("producing", { transport: kind, topic, stream, symbols, klines: klineStreams });

  return {
    async stop() {
      await feed.stop();
      await pipeline.settle(true);
      const left = await outbox.drain(5_000);
      if (left > 0) log.warn("stopped with events not handed to the transport", { events: left });
      await producer.stop();
      rejections.rollOver();
    },
    health: () => ({
      ok: feed.isConnected(),
      detail: {
        connected: feed.isConnected(),
        queued: outbox.size,
        reconnects: feed.reconnects,
        rollOvers: feed.rollOvers,
      },
    }),
  };
});
