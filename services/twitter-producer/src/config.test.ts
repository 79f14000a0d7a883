import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, describeEnv } from "@cryptostream/common";
import { DEFAULT_QUERY, IDLE_MESSAGE, readTwitterConfig, twitterEnvSpec } from "./config.js";

test("defaults match the contract", () => {
  const c = readTwitterConfig({ TWITTER_BEARER_TOKEN: "tok-123456" });
  assert.deepEqual(c, {
    bearerToken: "tok-123456",
    apiUrl: "https://api.twitter.com",
    query: DEFAULT_QUERY,
    pollMs: 10_000,
    maxResults: 100,
    timeoutMs: 10_000,
    statePath: "data/twitter-producer.state.json",
    backoffCapMs: 60_000,
    authRetryMs: 60_000,
  });
  assert.equal(DEFAULT_QUERY, "(bitcoin OR btc OR ethereum OR eth OR crypto) lang:en -is:retweet");
});

test("a missing token is no error: the config says so with an empty token, and the idle line says how to set it", () => {
  assert.equal(readTwitterConfig({}).bearerToken, "");
  assert.equal(readTwitterConfig({ TWITTER_BEARER_TOKEN: "  " }).bearerToken, "");
  assert.match(IDLE_MESSAGE, /TWITTER_BEARER_TOKEN is not set/);
  assert.match(IDLE_MESSAGE, /export TWITTER_BEARER_TOKEN=/);
  assert.throws(() => readTwitterConfig({ TWITTER_POLL_SECONDS: "soon" }), ConfigError, "other variables still count");
});

test("bad values are reported together, never echoing the token", () => {
  assert.throws(
    () =>
      readTwitterConfig({
        TWITTER_BEARER_TOKEN: "tok-123456",
        TWITTER_POLL_SECONDS: "soon",
        TWITTER_API_URL: "ftp://x",
      }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 2 && !err.message.includes("tok-123456"),
  );
  assert.equal(
    readTwitterConfig({
      TWITTER_BEARER_TOKEN: "t",
      TWITTER_POLL_SECONDS: "0.25",
      TWITTER_API_URL: "http://127.0.0.1:9/",
    }).pollMs,
    250,
  );
  assert.ok(describeEnv(twitterEnvSpec).every((l) => !l.includes("tok-")));
});
