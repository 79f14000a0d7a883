/**
 * The bluesky-producer's environment: what each variable means and its default.
 * Reading it is separate from main.ts so tests can build a config directly.
 */
import { int, list, num, oneOf, readEnv, str } from "@cryptostream/common";
import { DEFAULT_TERMS } from "./posts/terms.js";

/** The public instances Bluesky documents: the original four and the 2026 rewrite's two. */
export const DEFAULT_JETSTREAM_URLS = [
  "wss://jetstream1.us-east.bsky.network",
  "wss://jetstream2.us-east.bsky.network",
  "wss://jetstream1.us-west.bsky.network",
  "wss://jetstream2.us-west.bsky.network",
  "wss://jetstream.us-east.bsky.network",
  "wss://jetstream.us-west.bsky.network",
];

export const blueskyEnvSpec = {
  BLUESKY_JETSTREAM_URLS: list(DEFAULT_JETSTREAM_URLS, /^wss?:\/\/[^\s/?#]+(\/[^\s?#]*)?(\?[^\s#]*)?$/),
  BLUESKY_TERMS: list([...DEFAULT_TERMS]),
  BLUESKY_LANGS: str("*"),
  BLUESKY_BATCH_MS: int(1_000, 10, 600_000),
  BLUESKY_BATCH_MAX: int(500, 1, 10_000),
  BLUESKY_STATE_PATH: str("data/bluesky-producer.state.json"),
  BLUESKY_REWIND_SECONDS: num(5, 0, 3_600),
  BLUESKY_DEDUPE_POSTS: int(200_000, 1_000, 10_000_000),
  BLUESKY_DELETES: oneOf(["published", "all", "off"] as const, "published"),
  BLUESKY_STALE_SECONDS: num(30, 0.1, 3_600),
  BLUESKY_RECONNECT_BASE_MS: int(500, 1, 600_000),
  BLUESKY_RECONNECT_MAX_MS: int(30_000, 1, 3_600_000),
  BLUESKY_MAX_PENDING: int(50_000, 100, 10_000_000),
};

export interface BlueskyConfig {
  readonly baseUrls: readonly string[];
  readonly terms: readonly string[];
  /** Empty = every language. */
  readonly langs: readonly string[];
  readonly batchMs: number;
  readonly batchMax: number;
  readonly statePath: string;
  readonly rewindUs: number;
  readonly dedupePosts: number;
  readonly deletes: "published" | "all" | "off";
  readonly staleMs: number;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  readonly maxPending: number;
}

/** Throws ConfigError (exit code 2 under runService) listing every bad variable. */
export function readBlueskyConfig(env: NodeJS.ProcessEnv = process.env): BlueskyConfig {
  const e = readEnv(blueskyEnvSpec, env);
  const langs =
    e.BLUESKY_LANGS.trim() === "*"
      ? []
      : e.BLUESKY_LANGS.split(",")
          .map((l) => l.trim())
          .filter(Boolean);
  return {
    baseUrls: e.BLUESKY_JETSTREAM_URLS,
    terms: e.BLUESKY_TERMS,
    langs,
    batchMs: e.BLUESKY_BATCH_MS,
    batchMax: e.BLUESKY_BATCH_MAX,
    statePath: e.BLUESKY_STATE_PATH,
    rewindUs: Math.round(e.BLUESKY_REWIND_SECONDS * 1e6),
    dedupePosts: e.BLUESKY_DEDUPE_POSTS,
    deletes: e.BLUESKY_DELETES,
    staleMs: Math.round(e.BLUESKY_STALE_SECONDS * 1000),
    reconnectBaseMs: e.BLUESKY_RECONNECT_BASE_MS,
    reconnectMaxMs: e.BLUESKY_RECONNECT_MAX_MS,
    maxPending: e.BLUESKY_MAX_PENDING,
  };
}
