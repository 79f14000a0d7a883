import http from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger, type Logger } from "@cryptostream/common";
import { handleControl, type ControlTarget } from "./control-handler.js";
import { NOT_FOUND_BODY } from "./errors.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import { sendJson } from "./http-util.js";
import { FixedWindowRateLimiter, type RateLimitState } from "./rate-limit.js";
import { handleSearch } from "./search-handler.js";
import { ServedLog, type ServedTweet } from "./served-log.js";
import { TweetStore, type CustomTweet } from "./store.js";
import type { SimTweet } from "./tweet.js";

export type { FaultSpec, FaultStatus } from "./faults.js";
export type { ServedTweet } from "./served-log.js";
export type { CustomTweet } from "./store.js";
export type { SimTweet } from "./tweet.js";

export interface TwitterSimulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (a free port; read it back from `port`). */
  port?: number;
  /** Expected bearer token. Default "sim-token". */
  bearerToken?: string;
  /** Seed of the synthetic stream. Default "42". */
  seed?: string | number;
  /** Tweets that exist at start. Default 200. */
  initialTweets?: number;
  /** New tweets per second; 0 freezes the stream. Default 3. */
  tweetsPerSecond?: number;
  /** Tweets kept (older ones leave search). Default 10000. */
  historySize?: number;
  /** Requests per window before 429. Default 450. */
  rateLimit?: number;
  /** Window length in seconds. Default 900. */
  rateWindowSeconds?: number;
  /** Every Nth search request fails (503, then 500, alternating); 0 = never. Default 0. */
  fail5xxEvery?: number;
  /** How many distinct served tweets the served log remembers. Default 1,000,000. */
  servedLogCapacity?: number;
  /** Clock in epoch milliseconds (tests may pass a fake one). Default Date.now. */
  now?: () => number;
  log?: Logger;
  /** Called after every API or control response (metrics hook). */
  onResponse?: (info: { path: string; status: number; tweets: number }) => void;
}

export interface SimulatorStats {
  requests: { total: number; search: number; control: number; byStatus: Record<string, number> };
  tweets: { created: number; held: number; dropped: number; skipped: number; oldestId?: string; newestId?: string };
  served: { unique: number; total: number; dropped: number; tweets?: ServedTweet[] };
  rateLimit: RateLimitState;
  faults: ReturnType<FaultInjector["snapshot"]>;
}

/** A tweet as the control API lists it: the served fields plus ground truth. */
export interface HeldTweet {
  id: string;
  text: string;
  lang: string;
  created_at: string;
  author_id: string;
  username: string;
  is_retweet: boolean;
  is_reply: boolean;
  sentiment: string;
  stream_index: number | null;
}

export interface RunningTwitterSimulator {
  /** Base URL, e.g. "http://127.0.0.1:39123" (the producer appends /2/tweets/search/recent). */
  readonly url: string;
  readonly port: number;
  readonly bearerToken: string;
  stop(): Promise<void>;
  /** Every tweet served in a 200 response, once per id, in first-served order. */
  served(): ServedTweet[];
  /** Every tweet currently held (the searchable universe), oldest first. */
  tweets(): HeldTweet[];
  /** The next `count` search requests fail with `status` (queued after earlier injections). */
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  resetRateLimit(): void;
  /** Adds `count` tweets of the seeded stream now (useful with tweetsPerSecond 0). */
  generateTweets(count: number): HeldTweet[];
  addTweet(tweet: CustomTweet): HeldTweet;
  stats(includeServed?: boolean): SimulatorStats;
}

export const SEARCH_PATH = "/2/tweets/search/recent";

function held(t: SimTweet): HeldTweet {
  return {
    id: t.id,
    text: t.text,
    lang: t.lang,
    created_at: t.createdAt,
    author_id: t.authorId,
    username: t.authorUsername,
    is_retweet: t.isRetweet,
    is_reply: t.isReply,
    sentiment: t.sentiment,
    stream_index: t.streamIndex,
  };
}

export async function startTwitterSimulator(options: TwitterSimulatorOptions = {}): Promise<RunningTwitterSimulator> {
  const now = options.now ?? Date.now;
  const log = options.log ?? silentLogger;
  const bearerToken = options.bearerToken ?? "sim-token";
  const store = new TweetStore({
    seed: options.seed ?? "42",
    initialTweets: options.initialTweets ?? 200,
    tweetsPerSecond: options.tweetsPerSecond ?? 3,
    historySize: options.historySize ?? 10_000,
    now,
  });
  const limiter = new FixedWindowRateLimiter(options.rateLimit ?? 450, (options.rateWindowSeconds ?? 900) * 1000, now);
  const faults = new FaultInjector(options.fail5xxEvery ?? 0);
  const servedLog = new ServedLog(options.servedLogCapacity ?? 1_000_000);
  const counters = { total: 0, search: 0, control: 0, byStatus: {} as Record<string, number> };

  const sim: ControlTarget & Omit<RunningTwitterSimulator, "url" | "port" | "bearerToken" | "stop"> = {
    served: () => servedLog.list(),
    tweets: () => {
      store.sync();
      return store.all().map(held);
    },
    injectFaults: (spec) => faults.inject(spec),
    clearFaults: () => faults.clear(),
    resetRateLimit: () => limiter.reset(),
    generateTweets: (count) => store.generateNow(count).map(held),
    addTweet: (t) => held(store.addCustom(t)),
    stats: (includeServed = true) => {
      store.sync();
      const all = store.all();
      return {
        requests: { ...counters, byStatus: { ...counters.byStatus } },
        tweets: { ...store.counts(), oldestId: all[0]?.id, newestId: all[all.length - 1]?.id },
        served: { ...servedLog.counts(), ...(includeServed ? { tweets: servedLog.list() } : {}) },
        rateLimit: limiter.state(),
        faults: faults.snapshot(),
      };
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator.local");
    const path = url.pathname.replace(/\/+$/u, "");
    const done = (status: number, tweets: number, kind: "search" | "control" | "other"): void => {
      counters.total++;
      if (kind !== "other") counters[kind]++;
      counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
      log.debug("request", { method: req.method, path, status, tweets });
      options.onResponse?.({ path, status, tweets });
    };
    if (path.startsWith("/_sim/")) {
      handleControl(req, res, url, sim).then(
        (status) => done(status, 0, "control"),
        (err: unknown) => {
          log.error("control request failed", { err });
          if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        },
      );
    } else if (path === SEARCH_PATH && (req.method === "GET" || req.method === "HEAD")) {
      const r = handleSearch(req, res, url, { bearerToken, store, limiter, faults, served: servedLog, now });
      done(r.status, r.tweets, "search");
    } else {
      sendJson(res, 404, NOT_FOUND_BODY);
      done(404, 0, "other");
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;

  return {
    ...sim,
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    bearerToken,
    stats: (includeServed = true) => sim.stats(includeServed) as SimulatorStats,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
