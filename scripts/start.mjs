#!/usr/bin/env node
// `npm start`: the live pipeline on this machine over ZeroMQ (no broker, no Docker):
// Binance's public market streams and Bluesky's public Jetstream always (BLUESKY=off
// leaves Bluesky out); the Twitter/X producer only when TWITTER_BEARER_TOKEN is set.
// Service variables (see README) pass through.
import path from "node:path";
import { ROOT, Stack } from "./lib/stack.mjs";
import { printSummary, summarise } from "./lib/summary.mjs";

const env = process.env;
const binanceFile = path.resolve(ROOT, env.BINANCE_H5_PATH ?? "data/binance.h5");
const twitterFile = path.resolve(ROOT, env.TWITTER_H5_PATH ?? "data/twitter.h5");
const twitterOn = Boolean(env.TWITTER_BEARER_TOKEN);
const blueskyOn = env.BLUESKY !== "off";
const socialOn = twitterOn || blueskyOn;
const base = { TRANSPORT: "zmq", HEALTH_PORT: "0" };

const stack = new Stack({ logLevel: env.LOG_LEVEL ?? "info" });
if (!twitterOn) {
  console.error("start: the Twitter/X producer is off: TWITTER_BEARER_TOKEN is not set (export it to enable it)");
}
try {
  await stack.start("binance-processor", {
    ...base,
    ZMQ_CONNECT: env.BINANCE_ZMQ_CONNECT ?? "tcp://127.0.0.1:5555",
    BINANCE_H5_PATH: binanceFile,
  });
  if (socialOn)
    await stack.start("twitter-processor", {
      ...base,
      ZMQ_CONNECT:
        env.TWITTER_ZMQ_CONNECT ??
        [twitterOn && "tcp://127.0.0.1:5556", blueskyOn && "tcp://127.0.0.1:5557"].filter(Boolean).join(","),
      TWITTER_H5_PATH: twitterFile,
    });
  await stack.start("binance-producer", { ...base, ZMQ_BIND: env.BINANCE_ZMQ_BIND ?? "tcp://127.0.0.1:5555" });
  if (twitterOn)
    await stack.start("twitter-producer", { ...base, ZMQ_BIND: env.TWITTER_ZMQ_BIND ?? "tcp://127.0.0.1:5556" });
  if (blueskyOn)
    await stack.start("bluesky-producer", { ...base, ZMQ_BIND: env.BLUESKY_ZMQ_BIND ?? "tcp://127.0.0.1:5557" });
} catch (err) {
  console.error(`start: ${err.message}`);
  await stack.stopAll();
  process.exit(1);
}
const why = await stack.waitForStop(Number(env.RUN_SECONDS ?? 0));
console.error(`start: stopping (${why})`);
const codes = await stack.stopAll();
for (const f of [binanceFile, ...(socialOn ? [twitterFile] : [])]) printSummary(await summarise(f), console.error);
process.exit(Object.values(codes).some((c) => c !== 0) ? 1 : 0);
