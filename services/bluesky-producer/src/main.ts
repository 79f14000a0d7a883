/**
 * bluesky-producer: follows Bluesky's Jetstream (posts only), keeps the posts
 * that mention the configured terms, and publishes them in batches, pickled,
 * in the twitter-producer's response shape, to the twitter stream.
 */
import { type Logger, producerFromEnv, Rejections, runService } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { readBlueskyConfig } from "./config.js";
import { JetstreamFeed } from "./feed/jetstream-feed.js";
import { assessHealth } from "./health.js";
import { PostPipeline } from "./pipeline.js";
import { langFilter, termMatcher } from "./posts/terms.js";
import { type CursorState, CursorStore } from "./state/cursor-store.js";

/** On stop, what waits may take this long to be published (the stored cursor replays the rest). */
const PUBLISH_GRACE_MS = 3_000;
/** Kafka key of every message: one key keeps the batches in order in one partition. */
const KEY = "bluesky";

async function loadCursor(store: CursorStore, log: Logger): Promise<CursorState | undefined> {
  const loaded = await store.load();
  switch (loaded.kind) {
    case "loaded":
      log.info("resuming from the stored cursor", {
        cursor: loaded.state.cursorUs,
        cursorIso: new Date(loaded.state.cursorUs / 1000).toISOString(),
        recentPosts: loaded.state.recent.length,
        statePath: store.filePath,
      });
      return loaded.state;
    case "missing":
      log.info("no cursor stored yet; starting live", { statePath: store.filePath });
      return undefined;
    case "invalid":
      // Writes are atomic, so this means the file was edited or the disk failed.
      log.error("cursor state file is unusable; starting live (posts since the last run are skipped)", {
        statePath: store.filePath,
        problem: loaded.reason,
      });
      return undefined;
  }
}

await runService({ name: "bluesky-producer", defaultHealthPort: 9108 }, async ({ log, metrics, registry }) => {
  const cfg = readBlueskyConfig();
  const store = new CursorStore(cfg.statePath);
  const initial = await loadCursor(store, log);
  const { producer, topic, kind } = await producerFromEnv({ stream: "twitter", defaultEndpoint: "tcp://*:5557", log });
  await producer.start();
  log.info("transport started", { transport: kind, topic });

  const startedAtMs = Date.now();
  const feedRef: { current?: JetstreamFeed } = {};
  const batches = registry.counter(
    "bluesky_messages_published_total",
    "Transport messages published, by what they hold (posts, deletes).",
  );
  const deletesPublished = registry.counter("bluesky_deletes_published_total", "Post deletes published.");
  const pipeline: PostPipeline = new PostPipeline(
    {
      encode: (body) => pickleCodec.encode(body),
      send: (value) => producer.publish(topic, [{ key: KEY, value }]),
      store,
      feed: { pause: () => feedRef.current?.pause(), resume: () => feedRef.current?.resume() },
      log,
      metrics: {
        std: metrics,
        rejections: new Rejections(metrics.rejects, log),
        posts: registry.counter(
          "bluesky_posts_total",
          "Posts seen, by outcome (matched, no_match, lang_filtered, duplicate).",
        ),
        frames: registry.counter("bluesky_frames_skipped_total", "Frames that are not new posts, by kind."),
        deletesPublished,
        batches,
        cursorLag: registry.gauge("bluesky_cursor_lag_seconds", "Wall clock minus the stored cursor, in seconds."),
        pending: registry.gauge("bluesky_pending", "Posts and deletes waiting to be published."),
      },
    },
    {
      matcher: termMatcher(cfg.terms),
      langOk: langFilter(cfg.langs),
      batchMs: cfg.batchMs,
      batchMax: cfg.batchMax,
      rewindUs: cfg.rewindUs,
      dedupePosts: cfg.dedupePosts,
      deletes: cfg.deletes,
      maxPending: cfg.maxPending,
      publishBackoff: { baseMs: 200, maxMs: 10_000, floorMs: 50 },
      initial,
    },
  );
  const feed = new JetstreamFeed(
    {
      baseUrls: cfg.baseUrls,
      backoff: { baseMs: cfg.reconnectBaseMs, maxMs: cfg.reconnectMaxMs, floorMs: Math.min(100, cfg.reconnectBaseMs) },
      staleMs: cfg.staleMs,
      handshakeTimeoutMs: 10_000,
    },
    {
      frame: (text) => pipeline.frame(text),
      cursor: () => pipeline.resumeCursor(),
      connected: ({ reconnect }) => {
        if (reconnect) metrics.reconnects.inc();
      },
    },
    log,
  );
  feedRef.current = feed;
  pipeline.start();
  feed.start();
  log.info("producing", {
    transport: kind,
    topic,
    urls: cfg.baseUrls,
    terms: cfg.terms,
    langs: cfg.langs.length > 0 ? cfg.langs : "*",
    batchMs: cfg.batchMs,
  });

  return {
    async stop() {
      await feed.stop();
      await pipeline.stop(PUBLISH_GRACE_MS);
      await producer.stop();
      log.info("published in this run", {
        messages: batches.total(),
        posts: metrics.messagesOut.total(),
        deletes: deletesPublished.total(),
        deleteMessages: batches.get({ what: "deletes" }),
        cursor: pipeline.cursorUs ?? null,
      });
    },
    health: () =>
      assessHealth(
        {
          connected: feed.isConnected(),
          startedAtMs,
          lostAtMs: feed.lostAt,
          url: feed.currentUrl,
          reconnects: feed.reconnects,
          cursorUs: pipeline.cursorUs,
          pending: pipeline.pendingCount,
          lastFrameAtMs: pipeline.lastFrameAtMs,
        },
        Date.now(),
        cfg.staleMs,
      ),
  };
});
