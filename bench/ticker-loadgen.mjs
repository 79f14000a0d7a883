#!/usr/bin/env node
// Load generator for benchmarks: binds a ZeroMQ PUSH socket and sends N realistic
// 24hrTicker combined-stream messages (bench/ticker-messages.mjs) as fast as the
// socket takes them.
//   node bench/ticker-loadgen.mjs <endpoint> <events> <symbols> [frames]
// frames (default 64): events per ZeroMQ message. 64 is how the binance-producer sends
// under load (multipart, one event per frame, see ZmqPushProducer); 1 is how a
// non-batching producer (the original Python one) sends: one event per message.
import * as zmq from "zeromq";
import { tickerMessages } from "./ticker-messages.mjs";

const [endpoint, eventsArg, symbolsArg, framesArg] = process.argv.slice(2);
const total = Number(eventsArg ?? 1_000_000);
const nSymbols = Number(symbolsArg ?? 200);
const FRAMES = Number(framesArg ?? 64);
const { message } = tickerMessages({ symbols: nSymbols });

const sock = new zmq.Push({ sendHighWaterMark: FRAMES === 1 ? 20_000 : 2_000, linger: 30_000 });
await sock.bind(endpoint);
process.send?.({ ready: true });
const t0 = performance.now();
if (FRAMES === 1) {
  for (let i = 0; i < total; i++) await sock.send(message(i));
} else {
  for (let i = 0; i < total; i += FRAMES) {
    const frames = [];
    for (let j = i; j < Math.min(total, i + FRAMES); j++) frames.push(message(j));
    await sock.send(frames);
  }
}
const seconds = (performance.now() - t0) / 1000;
process.send?.({ sent: total, seconds });
sock.close();
