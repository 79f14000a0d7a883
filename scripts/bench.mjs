#!/usr/bin/env node
// `npm run bench`: prints one JSON document with every benchmark's numbers.
// BENCH_EVENTS (default 10,000,000) sets the processor benchmark's length.
import { benchPipelineZmq } from "../bench/pipeline-zmq.mjs";
import { benchProcessorZmq } from "../bench/processor-zmq.mjs";
import { benchKafka } from "../bench/processor-kafka.mjs";
import { benchTwitterProcessor } from "../bench/twitter-processor.mjs";
import { calibrate } from "../bench/calibrate.mjs";

const events = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const atStart = calibrate();
const results = [];
results.push(await benchProcessorZmq({ events }));
// Kafka keeps every event on disk: BENCH_KAFKA_EVENTS (default 1,000,000) bounds it separately.
results.push(await benchKafka({ events: Number(process.env.BENCH_KAFKA_EVENTS ?? Math.min(events, 1_000_000)) }));
results.push(await benchPipelineZmq({ seconds: 15 }));
results.push({ ...(await benchTwitterProcessor({ tweets: 100_000 })), floor: { tweetsPerSecond: 5_000 } });
console.log(
  JSON.stringify(
    {
      machine: {
        cpus: (await import("node:os")).cpus().length,
        node: process.version,
        // One core's speed at the start and end (bench/calibrate.mjs): compare runs by it.
        jsonParsesPerSecond: { atStart, atEnd: calibrate() },
      },
      results,
    },
    null,
    2,
  ),
);
