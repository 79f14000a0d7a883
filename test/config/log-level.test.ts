/**
 * Every service reads its configuration one way: a bad LOG_LEVEL stops it before it
 * starts, with exit code 2 and one log line naming the variable, like any other bad
 * variable. Each service here is the built one, run as its container runs it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ServiceProcess } from "../support/service-process.js";

const SERVICES = [
  "binance-producer",
  "binance-processor",
  "binance-simulator",
  "twitter-producer",
  "twitter-processor",
  "twitter-simulator",
  "bluesky-producer",
  "jetstream-simulator",
];

for (const name of SERVICES) {
  test(
    `${name}: LOG_LEVEL=verbose stops it with exit code 2 and one line naming LOG_LEVEL`,
    { timeout: 30_000 },
    async () => {
      const p = new ServiceProcess(name, { LOG_LEVEL: "verbose" });
      assert.equal(await p.waitExit(), 2, p.stderr);
      assert.deepEqual(p.stdoutNoise, [], "nothing but JSON logs on stdout");
      const errors = p.logs.filter((l) => l.level === "error");
      assert.equal(errors.length, 1, JSON.stringify(p.logs));
      assert.equal(
        errors[0]!.msg,
        'configuration error: LOG_LEVEL="verbose" is invalid: expected one of debug, info, warn, error',
      );
      assert.ok(!p.logs.some((l) => l.msg === "started"), "it never started");
    },
  );
}
