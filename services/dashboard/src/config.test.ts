import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ConfigError } from "@cryptostream/common";
import { dashboardConfig } from "./config.js";

test("defaults: 127.0.0.1:8088, data/, no services", () => {
  const c = dashboardConfig({});
  assert.equal(c.port, 8088);
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.binanceFile, path.resolve("data", "binance.h5"));
  assert.deepEqual(c.services, []);
});

test("a DATA_DIR argument wins over DASHBOARD_DATA_DIR; services come as name=url", () => {
  const c = dashboardConfig(
    {
      DASHBOARD_DATA_DIR: "/x",
      DASHBOARD_METRICS_URLS:
        "binance-processor=http://binance-processor:9102/, twitter-producer=http://127.0.0.1:9103",
    },
    ["/old/run"],
  );
  assert.equal(c.twitterFile, "/old/run/twitter.h5");
  assert.deepEqual(c.services, [
    { name: "binance-processor", url: "http://binance-processor:9102" },
    { name: "twitter-producer", url: "http://127.0.0.1:9103" },
  ]);
});

test("a malformed service list is a configuration error", () => {
  assert.throws(() => dashboardConfig({ DASHBOARD_METRICS_URLS: "just-a-name" }), ConfigError);
  assert.throws(() => dashboardConfig({ DASHBOARD_PORT: "http" }), ConfigError);
});
