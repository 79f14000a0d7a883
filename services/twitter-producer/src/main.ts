/**
 * twitter-producer: polls Twitter API v2 recent search and publishes every
 * non-empty response, pickled, to the "twitter" stream.
 */
import { type Logger, peekEnv, producerFromEnv, runService } from "@cryptostream/common";
import { realClock } from "./clock.js";
import { pickleCodec } from "./codec.js";
import { IDLE_MESSAGE, readTwitterConfig, twitterEnvSpec } from "./config.js";
import { assessHealth } from "./health.js";
import { Poller } from "./poller.js";
import { createSearchClient } from "./search-client.js";
import { SinceIdStore } from "./since-id-store.js";

/** On stop, an in-flight publish may take this long to finish (then its since_id is saved). */
const PUBLISH_GRACE_MS = 3_000;

async function loadSinceId(store: SinceIdStore, log: Logger): Promise<string | undefined> {
  const loaded = await store.load();
  switch (loaded.kind) {
    case "loaded":
      log.info("resuming after the stored since_id", {
        sinceId: loaded.sinceId,
        statePath: store.filePath,
      });
      return loaded.sinceId;
    case "missing":
      log.info("no since_id state yet; starting from the newest tweets", {
        statePath: store.filePath,
      });
      return undefined;
    case "invalid":
      // Writes are atomic, so this means the file was edited or the disk failed.
      log.error("since_id state file is unusable; starting from the newest tweets (older ones are skipped)", {
        statePath: store.filePath,
        problem: loaded.reason,
      });
      return undefined;
  }
}

/** The API URL for logs, minus any user:password part. */
function withoutCredentials(raw: string): string {
  const u = new URL(raw);
  u.username = "";
  u.password = "";
  return u.toString().replace(/\/+$/, "");
}

// The token is needed before the logger exists, to scrub it from every log line.
const token = peekEnv("TWITTER_BEARER_TOKEN", twitterEnvSpec.TWITTER_BEARER_TOKEN);

await runService(
  {
    name: "twitter-producer",
    defaultHealthPort: 9103,
    redact: token ? [token] : [],
  },
  async ({ log, metrics, registry, fatal }) => {
    const cfg = readTwitterConfig();
    if (cfg.bearerToken === "") {
      // Idle, not exited: a container that exits is restarted, in a loop, for a source the user did not ask for.
      log.warn(IDLE_MESSAGE);
      return {
        stop: async () => undefined,
        health: () => ({ ok: true, detail: { phase: "idle", reason: "no token" } }),
      };
    }
    const store = new SinceIdStore(cfg.statePath);
    const initialSinceId = await loadSinceId(store, log);

    const { producer, topic, kind } = await producerFromEnv({
      stream: "twitter",
      defaultEndpoint: "tcp://*:5556",
      log,
    });
    await producer.start();
    log.info("transport started", { transport: kind, topic });

    const requests = registry.counter("twitter_api_requests_total", "Calls to the recent-search endpoint, by outcome.");
    const baseClient = createSearchClient(cfg);
    const client = {
      async search(req: Parameters<typeof baseClient.search>[0], signal: AbortSignal) {
        const res = await baseClient.search(req, signal);
        requests.inc({
          outcome: res.kind === "networkError" ? "network_error" : String(res.status),
        });
        return res;
      },
    };

    const poller = new Poller(
      {
        client,
        encode: (body) => pickleCodec.encode(body),
        // One key per query, not per response: Kafka keeps one key's messages in one
        // partition, in order, and the processor's windows and replays rely on that order.
        send: (_newestId, value) => producer.publish(topic, [{ key: cfg.query, value }]),
        store,
        log,
        metrics,
        clock: realClock,
      },
      {
        pollMs: cfg.pollMs,
        backoff: { baseMs: 1_000, capMs: cfg.backoffCapMs },
        authRetryMs: cfg.authRetryMs,
        publishGraceMs: PUBLISH_GRACE_MS,
        initialSinceId,
      },
    );
    poller.start().catch(fatal);
    log.info("polling", {
      apiUrl: withoutCredentials(cfg.apiUrl),
      query: cfg.query,
      pollSeconds: cfg.pollMs / 1000,
      sinceId: initialSinceId ?? null,
    });

    return {
      async stop() {
        await poller.stop();
        await producer.stop();
      },
      health: () => assessHealth(poller.status(), Date.now(), cfg.pollMs),
    };
  },
);
