#!/usr/bin/env node
// Our side of the twitter comparison, as its own process (so its RSS and CPU are its own):
// the twitter-processor's pipeline (pickle decode -> validation + dedupe -> preprocessing +
// VADER -> windows -> HDF5, one flush per transport batch of 10 responses), configured as
// a deployment with no variables set (the service's own defaults), fed the
// responses of a file written by twitter-input.mjs through the test kit's FakeConsumer.
//   node bench/side-by-side/twitter-ours.mjs <input> <out.h5> <t0 ms>
// Prints "ready" when loaded and "progress <tweets>" after every batch.
import path from "node:path";
import { ROOT } from "../../scripts/lib/service-process.mjs";
import { readTwitterInput } from "./twitter-input.mjs";

const dist = (p) => path.join(ROOT, "services", p);
const { readEnv, Registry, silentLogger, standardMetrics } = await import(dist("common/dist/index.js"));
const { readSinkConfig } = await import(dist("common/dist/sink/sink-config.js"));
const { processorEnv, SINK_DEFAULTS } = await import(dist("twitter-processor/dist/config.js"));
const { readStoreSettings, storeFromSettings } = await import(dist("common/dist/store/store-config.js"));
const { windowRules } = await import(dist("common/dist/window/window-book.js"));
const { twitterProcessor } = await import(dist("twitter-processor/dist/processor.js"));
const { sinkMetrics } = await import(dist("common/dist/sink/sink-metrics.js"));
const { FakeConsumer } = await import(dist("testkit/dist/index.js"));
const { RecentIds } = await import(dist("twitter-processor/dist/dedupe/recent-ids.js"));

const [input, out, t0Arg] = process.argv.slice(2);
const PER_RESPONSE = 100;
const PER_BATCH = 10;
const messages = readTwitterInput(input);
const t0 = Number(t0Arg);
// The defaults, whatever this shell's environment says.
const cfg = readEnv(processorEnv, {});
const sink = readSinkConfig("TWITTER", SINK_DEFAULTS, {});
const registry = new Registry();
const consumer = new FakeConsumer({ replays: false });
let clock = t0;
// The store as deployed, in the folder the setting <out.h5> names.
const store = storeFromSettings(readStoreSettings("TWITTER", out, {}), {
  latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
  log: silentLogger,
});
const processor = twitterProcessor({
  store,
  consumer,
  topic: "twitter",
  rules: windowRules(cfg.WINDOW_SECONDS, cfg.ALLOWED_LATENESS_SECONDS),
  ids: new RecentIds(cfg.TWITTER_DEDUPE_IDS),
  windowSeconds: cfg.WINDOW_SECONDS,
  latenessSeconds: cfg.ALLOWED_LATENESS_SECONDS,
  maxFutureSkewMs: cfg.MAX_FUTURE_SKEW_SECONDS * 1000,
  sink,
  log: silentLogger,
  metrics: standardMetrics(registry),
  sinkMetrics: sinkMetrics(registry),
  now: () => clock,
  tickMs: 0,
});
await processor.start();
process.stdout.write("ready\n");
let offset = 0;
for (let i = 0; i < messages.length; i += PER_BATCH) {
  const batch = messages
    .slice(i, i + PER_BATCH)
    .map((value) => ({ topic: "twitter", key: undefined, value, partition: 0, offset: String(offset++) }));
  clock = t0 + (i + PER_BATCH) * PER_RESPONSE * 20;
  await consumer.deliver(batch);
  process.stdout.write(`progress ${Math.min(i + PER_BATCH, messages.length) * PER_RESPONSE}\n`);
}
await processor.stop();
// For `node --cpu-prof`: exit when done (the profile is written at exit).
if (process.env.TWITTER_OURS_EXIT === "1") process.exit(0);
// Stay alive until the harness has read the last count and stops us.
setInterval(() => {}, 1000);
