#!/usr/bin/env node
// Load generator for benchmarks: binds a ZeroMQ PUSH socket and sends N realistic
// 24hrTicker combined-stream messages (bench/ticker-messages.mjs) as fast as the
// socket takes them.
//   node bench/ticker-loadgen.mjs <endpoint> <events> <symbols>
import * as zmq from "zeromq";
import { tickerMessages } from "./ticker-messages.mjs";

const [endpoint, eventsArg, symbolsArg] = process.argv.slice(2);
const total = Number(eventsArg ?? 1_000_000);
const nSymbols = Number(symbolsArg ?? 200);
const { message } = tickerMessages({ symbols: nSymbols });

// Sent the way the binance-producer sends under load: batches as multipart
// messages of up to 64 frames, one event per frame (see ZmqPushProducer).
const FRAMES = 64;
const sock = new zmq.Push({ sendHighWaterMark: 2_000, linger: 30_000 });
await sock.bind(endpoint);
process.send?.({ ready: true });
const t0 = performance.now();
for (let i = 0; i < total; i += FRAMES) {
  const frames = [];
  for (let j = i; j < Math.min(total, i + FRAMES); j++) frames.push(message(j));
  await sock.send(frames);
}
const seconds = (performance.now() - t0) / 1000;
process.send?.({ sent: total, seconds });
sock.close();
