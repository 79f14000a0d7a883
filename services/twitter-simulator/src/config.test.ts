import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "@cryptostream/common";
import { simulatorOptionsFromEnv } from "./config.js";

test("env defaults match the documented ones", () => {
  assert.deepEqual(simulatorOptionsFromEnv({}), {
    host: "127.0.0.1",
    port: 8080,
    bearerToken: "sim-token",
    seed: "42",
    initialTweets: 200,
    tweetsPerSecond: 3,
    historySize: 10_000,
    rateLimit: 450,
    rateWindowSeconds: 900,
    fail5xxEvery: 0,
  });
});

test("bad values are reported together, the token never shown", () => {
  assert.throws(
    () => simulatorOptionsFromEnv({ SIM_PORT: "99999", SIM_TWEETS_PER_SECOND: "-1", SIM_BEARER_TOKEN: "x" }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 2 && !e.message.includes("SIM_BEARER_TOKEN"),
  );
  assert.equal(simulatorOptionsFromEnv({ SIM_TWEETS_PER_SECOND: "0.5", SIM_PORT: "0" }).tweetsPerSecond, 0.5);
});
