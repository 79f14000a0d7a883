#!/usr/bin/env node
// `npm run bench`: prints one JSON document with every benchmark's numbers.
// BENCH_EVENTS (default 10,000,000) sets the processor benchmark's length.
import { benchProcessorZmq } from "../bench/processor-zmq.mjs";

const events = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const results = [];
results.push(await benchProcessorZmq({ events }));
console.log(
  JSON.stringify(
    { machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, results },
    null,
    2,
  ),
);
