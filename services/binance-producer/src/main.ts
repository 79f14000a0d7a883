import { Outbox, producerFromEnv, readEnv, Rejections, runService } from "@cryptostream/common";
import { producerEnv } from "./config.js";
import { classifyFrame } from "./events/classify.js";
import { BinanceFeed } from "./feed/binance-feed.js";
import { combinedStreamUrl } from "./feed/stream-url.js";

await runService({ name: "binance-producer", defaultHealthPort: 9101 }, async ({ log, metrics }) => {
  const cfg = readEnv(producerEnv);
  const stream = cfg.BINANCE_STREAM === "aggtrade" ? "aggTrade" : "ticker";
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

  const feed: BinanceFeed = new BinanceFeed(
    {
      url: combinedStreamUrl(cfg.BINANCE_WS_URL, cfg.BINANCE_SYMBOLS, stream),
      backoff: { baseMs: cfg.BINANCE_RECONNECT_BASE_MS, maxMs: cfg.BINANCE_RECONNECT_MAX_MS, floorMs: 100 },
      staleMs: cfg.BINANCE_STALE_SECONDS * 1000,
      maxConnectionMs: cfg.BINANCE_MAX_CONNECTION_SECONDS * 1000,
      handshakeTimeoutMs: 10_000,
    },
    {
      message(text) {
        metrics.messagesIn.inc();
        const f = classifyFrame(text, stream);
        switch (f.kind) {
          case "event":
            metrics.lastEventTime.set(f.eventTime / 1000);
            // Published as received: the JSON text Binance sent, UTF-8 encoded.
            outbox.push({ key: f.symbol, value: Buffer.from(text, "utf8") });
            break;
          case "serverShutdown":
            feed.rollOver("server announced shutdown");
            break;
          case "reply":
            break;
          case "malformed":
            rejections.reject("malformed_frame", `${f.reason}: ${text.slice(0, 200)}`);
            break;
        }
      },
      connected({ gapMs }) {
        if (gapMs !== undefined) metrics.reconnects.inc();
      },
    },
    log,
  );
  feed.start();
  log.info("producing", { transport: kind, topic, stream, symbols: cfg.BINANCE_SYMBOLS });

  return {
    async stop() {
      await feed.stop();
      const left = await outbox.drain(5_000);
      if (left > 0) log.warn("stopped with events not handed to the transport", { events: left });
      await producer.stop();
      rejections.rollOver();
    },
    health: () => ({
      ok: feed.isConnected(),
      detail: { connected: feed.isConnected(), queued: outbox.size, reconnects: feed.reconnects },
    }),
  };
});
