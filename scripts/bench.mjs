#!/usr/bin/env node
// `npm run bench`: side by side in one run, interleaved (A B C D, A B C D, ...), each
// contender fed the same bytes by the same load generator; prints one JSON document with
// every run, per-contender medians and the ratios the goals are stated in (progress on stderr).
//   BENCH_QUICK=1   a short version (under 3 minutes) that only checks everything runs
//                   (or `npm run bench -- --quick`)
//   BENCH_EVENTS    events per ZeroMQ round (default 1,000,000)
//   BENCH_LONG_EVENTS  events of the RSS-flatness runs (default 10,000,000)
//   BENCH_KAFKA_EVENTS events in the Kafka topic (default 1,000,000)
//   BENCH_TWEETS    tweets per twitter round (default 50,000)
//   BENCH_ABSOLUTE=1 also the older absolute benchmarks (Kafka lag, pipeline end to end)
//   BENCH_ONLY      comma-separated parts to run (zmq, long, kafka, twitter, growth; default all),
//                   for iterating on one part; its ratios are judged like a whole run's
import os from "node:os";
import { calibrate } from "../bench/calibrate.mjs";
import { growthBench, growthGoals } from "../bench/growth.mjs";
import { kafkaRounds } from "../bench/side-by-side/kafka-rounds.mjs";
import { contenderSummary, flatness, ratio } from "../bench/side-by-side/summary.mjs";
import { twitterRounds } from "../bench/side-by-side/twitter-rounds.mjs";
import { runZmqContender, zmqRounds } from "../bench/side-by-side/zmq-rounds.mjs";

const quick = process.env.BENCH_QUICK === "1" || process.argv.includes("--quick");
const num = (name, full, short) => Number(process.env[name] ?? (quick ? short : full));
const cfg = {
  zmqEvents: num("BENCH_EVENTS", 1_000_000, 200_000),
  zmqRounds: quick ? 1 : 3,
  longEvents: num("BENCH_LONG_EVENTS", 10_000_000, 500_000),
  kafkaEvents: num("BENCH_KAFKA_EVENTS", 1_000_000, 100_000),
  kafkaRounds: quick ? 1 : 2,
  tweets: num("BENCH_TWEETS", 50_000, 5_000),
  twitterRounds: quick ? 1 : 2,
};
const only = new Set((process.env.BENCH_ONLY ?? "zmq,long,kafka,twitter,growth").split(",").map((s) => s.trim()));
const log = (s) => process.stderr.write(`bench: ${s}\n`);
const t0 = performance.now();
const atStart = calibrate();

const zmqRuns = !only.has("zmq")
  ? []
  : await zmqRounds({
      keys: ["python", "naive", "oursSingleFrame", "oursSingleFrameMainThread", "oursMultipart"],
      rounds: cfg.zmqRounds,
      events: cfg.zmqEvents,
      log,
    });
// Memory over a long run with either producer: must stay under 300 MB and flat.
const longRuns = [];
// With Node's default heap, and as shipped (compose, npm start and the demo cap the main
// thread's V8 old generation): with the socket read by a worker, little native memory pressure
// is left on the main thread and V8 lets its old generation grow lazily (no leak: capped, it
// collects and stays flat at the same rate).
for (const nodeArgs of only.has("long") ? [[], ["--max-old-space-size=128"]] : [])
  for (const key of ["oursSingleFrame", "oursMultipart"]) {
    const m = await runZmqContender(key, { events: cfg.longEvents, nodeArgs });
    log(`long ${key} ${nodeArgs}: ${m.eventsPerSecond} events/s, peak ${m.peakRssMb} MB, steady ${m.steadyRssMb} MB`);
    longRuns.push({ ...m, rss: flatness(m) });
  }
const kafka = only.has("kafka")
  ? await kafkaRounds({ events: cfg.kafkaEvents, rounds: cfg.kafkaRounds, log })
  : { runs: [] };
const twitter = only.has("twitter") ? await twitterRounds({ tweets: cfg.tweets, rounds: cfg.twitterRounds, log }) : [];
// Cost over time is a ratio: the processor writing today with 30 days of history in the store
// vs an empty one (bench/growth.mjs; about 6 minutes, a tiny version under 30 s when quick).
const growth = only.has("growth") ? await growthBench({ quick, log }) : undefined;

const absolute = [];
if (process.env.BENCH_ABSOLUTE === "1") {
  const { benchKafka } = await import("../bench/processor-kafka.mjs");
  const { benchPipelineZmq } = await import("../bench/pipeline-zmq.mjs");
  absolute.push(await benchKafka({ events: cfg.kafkaEvents }));
  absolute.push(await benchPipelineZmq({ seconds: 15 }));
}

const goals = [
  { comparison: "zmq", ...ratio(zmqRuns, "oursSingleFrame", "naive", 0.9) },
  { comparison: "zmq", ...ratio(zmqRuns, "oursSingleFrame", "python", 2) },
  { comparison: "zmq", ...ratio(zmqRuns, "oursMultipart", "naive", 0.9) },
  { comparison: "zmq", ...ratio(zmqRuns, "oursMultipart", "python", 2) },
  // The same processor with ZMQ_RECEIVE_THREAD=main: what reading the socket in a worker changes.
  { comparison: "zmq, socket read on the main thread", ...ratio(zmqRuns, "oursSingleFrameMainThread", "naive", 0.9) },
  { comparison: "kafka", ...ratio(kafka.runs, "ours", "python", 2) },
  { comparison: "twitter", ...ratio(twitter, "ours", "python", 2) },
  ...(growth ? growthGoals(growth) : []),
];
for (const r of longRuns)
  goals.push({
    comparison: `rss over ${r.events} events, ${r.contender}, ${r.nodeArgs.length ? `as shipped (${r.nodeArgs.join(" ")})` : "Node's default heap"}`,
    peakRssMb: r.peakRssMb,
    ...r.rss,
    goal: "peak < 300 MB, last quarter within 10% of the second",
    met: r.peakRssMb < 300 && r.rss.lastQuarterMb <= r.rss.secondQuarterMb * 1.1,
  });

const strip = (runs) => runs.map(({ rssMbEvery5s, ...r }) => r);
console.log(
  JSON.stringify(
    {
      quick,
      // A short run only shows that every contender runs; its figures are not judged.
      judged: !quick,
      config: cfg,
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        // One core's speed at the start and end (bench/calibrate.mjs).
        jsonParsesPerSecond: { atStart, atEnd: calibrate() },
      },
      minutes: Number(((performance.now() - t0) / 60_000).toFixed(1)),
      goals: (quick ? goals.map(({ met, ...g }) => g) : goals).filter((g) => !g.eachRound || g.eachRound.length > 0),
      zmq: { contenders: contenderSummary(zmqRuns), runs: strip(zmqRuns), long: longRuns },
      kafka: {
        broker: kafka.broker,
        produce: kafka.produce,
        contenders: contenderSummary(kafka.runs),
        runs: strip(kafka.runs),
      },
      twitter: { contenders: contenderSummary(twitter), runs: strip(twitter) },
      growth: growth ? { ...growth, rounds: growth.rounds.map(({ life, ...r }) => r) } : undefined,
      absolute,
    },
    null,
    2,
  ),
);
