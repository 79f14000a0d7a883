import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@cryptostream/common";
import { simulatorOptionsFromEnv } from "./config.js";

test("defaults: Jetstream's port, seed 42, 20 events/s, a history to replay", () => {
  assert.deepEqual(simulatorOptionsFromEnv({}), {
    host: "127.0.0.1",
    port: 6008,
    seed: "42",
    eventsPerSecond: 20,
    initialEvents: 500,
    historySize: 100_000,
    dropAfterEvents: 0,
    cursorSlackSeconds: 0,
  });
});

test("bad values are reported together", () => {
  assert.throws(
    () => simulatorOptionsFromEnv({ SIM_PORT: "70000", SIM_EVENTS_PER_SECOND: "fast", SIM_HISTORY_SIZE: "0" }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 3,
  );
});
