#!/usr/bin/env node
// `npm run demo`: the whole pipeline over ZeroMQ against the local simulators, with
// no network beyond loopback. Runs until Ctrl-C or DEMO_SECONDS, then stops every
// service gracefully and prints what landed in the HDF5 files.
//
//   DEMO_SECONDS          stop after this many seconds (default 0: until Ctrl-C)
//   DEMO_DATA_DIR         where the .h5 files go (default data/demo)
//   DEMO_WINDOW_SECONDS   window length, short so rows appear quickly (default 10)
//   DEMO_DASHBOARD_PORT   the dashboard's port on 127.0.0.1 (default 8088; 0 = any free port)
//   LOG_LEVEL             services' log level (default warn)
import fs from "node:fs";
import path from "node:path";
import { ROOT, Stack } from "./lib/stack.mjs";
import { printSummary, summarise } from "./lib/summary.mjs";

const seconds = Number(process.env.DEMO_SECONDS ?? 0);
const dataDir = path.resolve(ROOT, process.env.DEMO_DATA_DIR ?? "data/demo");
const windowSeconds = process.env.DEMO_WINDOW_SECONDS ?? "10";
const twitterToken = "demo-token";
fs.mkdirSync(dataDir, { recursive: true });

const ports = {
  binanceSim: 19443,
  twitterSim: 18080,
  jetstreamSim: 16008,
  binanceZmq: 15555,
  twitterZmq: 15556,
  blueskyZmq: 15557,
};
const common = { TRANSPORT: "zmq", WINDOW_SECONDS: windowSeconds, ALLOWED_LATENESS_SECONDS: "2", HEALTH_PORT: "0" };
const files = { binance: path.join(dataDir, "binance.h5"), twitter: path.join(dataDir, "twitter.h5") };
const hasTwitter = fs.existsSync(path.join(ROOT, "services/twitter-processor/dist/processor.js"));

const stack = new Stack({ logLevel: process.env.LOG_LEVEL ?? "warn" });
console.log(`demo: starting the pipeline over ZeroMQ; output in ${dataDir}`);
try {
  // Simulators first, then processors (they connect), then producers (they bind).
  await stack.start("binance-simulator", {
    SIM_HOST: "127.0.0.1",
    SIM_PORT: String(ports.binanceSim),
    HEALTH_PORT: "0",
  });
  if (hasTwitter) {
    await stack.start("twitter-simulator", {
      SIM_HOST: "127.0.0.1",
      SIM_PORT: String(ports.twitterSim),
      SIM_BEARER_TOKEN: twitterToken,
      HEALTH_PORT: "0",
    });
    await stack.start("jetstream-simulator", {
      SIM_HOST: "127.0.0.1",
      SIM_PORT: String(ports.jetstreamSim),
      HEALTH_PORT: "0",
    });
  }
  await stack.start("binance-processor", {
    ...common,
    ZMQ_CONNECT: `tcp://127.0.0.1:${ports.binanceZmq}`,
    BINANCE_H5_PATH: files.binance,
  });
  if (hasTwitter) {
    await stack.start("twitter-processor", {
      ...common,
      // Tweets come in 10 s polls: between two polls Twitter's windows go quiet, and the wall
      // clock would close them before the next poll's tweets arrive. The lateness covers a poll
      // (the processor's default, 30 s, covers one with the search index's lag).
      ALLOWED_LATENESS_SECONDS: "12",
      // Both producers of the twitter stream: tweets and Bluesky posts.
      ZMQ_CONNECT: `tcp://127.0.0.1:${ports.twitterZmq},tcp://127.0.0.1:${ports.blueskyZmq}`,
      TWITTER_H5_PATH: files.twitter,
    });
  }
  await stack.start("binance-producer", {
    ...common,
    ZMQ_BIND: `tcp://127.0.0.1:${ports.binanceZmq}`,
    BINANCE_WS_URL: `ws://127.0.0.1:${ports.binanceSim}`,
    // The aggTrade backfill after a drop asks the simulator's REST API, never Binance.
    BINANCE_REST_URL: `http://127.0.0.1:${ports.binanceSim}`,
  });
  if (hasTwitter) {
    await stack.start("twitter-producer", {
      ...common,
      ZMQ_BIND: `tcp://127.0.0.1:${ports.twitterZmq}`,
      TWITTER_API_URL: `http://127.0.0.1:${ports.twitterSim}`,
      TWITTER_BEARER_TOKEN: twitterToken,
      TWITTER_STATE_PATH: path.join(dataDir, "twitter-producer.state.json"),
    });
    await stack.start("bluesky-producer", {
      ...common,
      ZMQ_BIND: `tcp://127.0.0.1:${ports.blueskyZmq}`,
      BLUESKY_JETSTREAM_URLS: `ws://127.0.0.1:${ports.jetstreamSim}`,
      BLUESKY_STATE_PATH: path.join(dataDir, "bluesky-producer.state.json"),
    });
  } else {
    console.log("demo: the Twitter half is not built yet; running the Binance half only");
  }
  // The dashboard last: it watches the files and every service above.
  const watched = stack.services.map((s) => `${s.name}=http://127.0.0.1:${s.port}`);
  const dashboard = await stack.start("dashboard", {
    HEALTH_PORT: "0",
    DASHBOARD_HOST: "127.0.0.1",
    DASHBOARD_PORT: process.env.DEMO_DASHBOARD_PORT ?? "8088",
    DASHBOARD_DATA_DIR: dataDir,
    DASHBOARD_METRICS_URLS: watched.join(","),
  });
  const ready = await dashboard.waitForLog((l) => l.msg === "dashboard ready");
  console.log(`demo: dashboard at ${ready.url}`);
} catch (err) {
  console.error(`demo: ${err.message}`);
  await stack.stopAll();
  process.exit(1);
}

console.log(`demo: running${seconds > 0 ? ` for ${seconds} s` : ""}; press Ctrl-C to stop`);
const progress = setInterval(async () => {
  const b = await stack.metrics("binance-processor");
  const t = hasTwitter ? await stack.metrics("twitter-processor") : {};
  const bs = hasTwitter ? await stack.metrics("bluesky-producer") : {};
  console.log(
    `demo: binance events ${b.pipeline_messages_in_total ?? 0}, windows written ${b.pipeline_messages_out_total ?? 0}` +
      (hasTwitter
        ? `; bluesky posts published ${bs.pipeline_messages_out_total ?? 0}` +
          `; twitter responses ${t.pipeline_messages_in_total ?? 0}, tweets and posts written ${t.pipeline_messages_out_total ?? 0}`
        : ""),
  );
}, 10_000);
const why = await stack.waitForStop(seconds);
clearInterval(progress);
console.log(`demo: stopping (${why})`);
// Stop producers first so processors get everything, then processors (they flush), then simulators.
const codes = await stack.stopAll();
console.log(`demo: exit codes ${JSON.stringify(codes)}`);
console.log("demo: what landed:");
for (const f of [files.binance, ...(hasTwitter ? [files.twitter] : [])]) printSummary(await summarise(f));
const failed = Object.values(codes).some((c) => c !== 0);
process.exit(failed ? 1 : 0);
