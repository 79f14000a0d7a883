/**
 * The twitter-producer's environment: what each variable means and its default.
 * Reading it is separate (readEnv in main.ts) so tests can build a config directly.
 */
import { int, num, readEnv, secret, str, url } from "@cryptostream/common";

export const DEFAULT_QUERY = "(bitcoin OR btc OR ethereum OR eth OR crypto) lang:en -is:retweet";

export const TOKEN_HINT =
  "set it to the Bearer Token of your Twitter/X developer app, e.g. `export TWITTER_BEARER_TOKEN=...` " +
  "or a TWITTER_BEARER_TOKEN=... line in the compose .env file";

/** Logged once when the token is missing: the producer then stays idle (and healthy) instead of exiting. */
export const IDLE_MESSAGE =
  "TWITTER_BEARER_TOKEN is not set: the twitter-producer stays idle and publishes nothing; to enable it, " +
  TOKEN_HINT +
  ", then restart it";

export const twitterEnvSpec = {
  // Optional: without a token the service idles (compose would restart a service that exits, in a loop).
  TWITTER_BEARER_TOKEN: secret(str(""), TOKEN_HINT),
  TWITTER_API_URL: url("https://api.twitter.com", ["http", "https"]),
  TWITTER_QUERY: str(DEFAULT_QUERY),
  // A number (not only integers) so tests can poll every fraction of a second.
  TWITTER_POLL_SECONDS: num(10, 0.05, 86_400),
  TWITTER_MAX_RESULTS: int(100, 10, 100),
  TWITTER_TIMEOUT_MS: int(10_000, 100, 300_000),
  TWITTER_STATE_PATH: str("data/twitter-producer.state.json"),
  TWITTER_BACKOFF_CAP_SECONDS: num(60, 0.01, 3_600),
  TWITTER_AUTH_RETRY_SECONDS: num(60, 0.01, 3_600),
};

export interface TwitterConfig {
  /** "" when unset: the producer idles. */
  readonly bearerToken: string;
  readonly apiUrl: string;
  readonly query: string;
  readonly pollMs: number;
  readonly maxResults: number;
  readonly timeoutMs: number;
  readonly statePath: string;
  readonly backoffCapMs: number;
  readonly authRetryMs: number;
}

/** Throws ConfigError (exit code 2 under runService) listing every bad variable. */
export function readTwitterConfig(env: NodeJS.ProcessEnv = process.env): TwitterConfig {
  const e = readEnv(twitterEnvSpec, env);
  return {
    bearerToken: e.TWITTER_BEARER_TOKEN,
    apiUrl: e.TWITTER_API_URL,
    query: e.TWITTER_QUERY,
    pollMs: Math.round(e.TWITTER_POLL_SECONDS * 1000),
    maxResults: e.TWITTER_MAX_RESULTS,
    timeoutMs: e.TWITTER_TIMEOUT_MS,
    statePath: e.TWITTER_STATE_PATH,
    backoffCapMs: Math.round(e.TWITTER_BACKOFF_CAP_SECONDS * 1000),
    authRetryMs: Math.round(e.TWITTER_AUTH_RETRY_SECONDS * 1000),
  };
}
