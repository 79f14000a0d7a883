#!/usr/bin/env node
// Load generator for benchmarks: binds a ZeroMQ PUSH socket and sends N realistic
// 24hrTicker combined-stream messages (Binance's shape and field types) as fast as the
// socket takes them. Event times advance 100 ms per symbol per event so windows keep
// closing and the HDF5 sink is exercised, as in a long live run.
//   node bench/ticker-loadgen.mjs <endpoint> <events> <symbols>
import * as zmq from "zeromq";

const [endpoint, eventsArg, symbolsArg] = process.argv.slice(2);
const total = Number(eventsArg ?? 1_000_000);
const nSymbols = Number(symbolsArg ?? 200);
const symbols = Array.from({ length: nSymbols }, (_, i) => `SYM${String(i).padStart(3, "0")}USDT`);
const base = Date.now() - 30 * 24 * 3600 * 1000;
// Prices are precomputed random walks, one table per symbol, so that building a message is
// string concatenation: the generator must outrun the processor it measures.
const WALK = 4096;
const walks = symbols.map((_, k) => {
  let p = 10 + k * 7.31;
  return Array.from({ length: WALK }, (_, j) => {
    p *= 1 + ((((j + 1) * 2654435761 + k) % 1000) / 1000 - 0.5) * 0.001;
    return {
      c: p.toFixed(8),
      b: (p * 0.9999).toFixed(8),
      a: (p * 1.0001).toFixed(8),
      h: (p * 1.01).toFixed(8),
      l: (p * 0.99).toFixed(8),
    };
  });
});
const heads = symbols.map((s) => `{"stream":"${s.toLowerCase()}@ticker","data":{"e":"24hrTicker","E":`);

function message(i) {
  const k = i % nSymbols;
  const step = Math.floor(i / nSymbols);
  const w = walks[k][step % WALK];
  const E = base + step * 100;
  const vol = 1000 + step;
  return (
    `${heads[k]}${E},"s":"${symbols[k]}","p":"12.34000000","P":"0.520","w":"${w.c}","x":"${w.c}","c":"${w.c}",` +
    `"Q":"0.01000000","b":"${w.b}","B":"1.20000000","a":"${w.a}","A":"0.80000000","o":"${w.c}","h":"${w.h}",` +
    `"l":"${w.l}","v":"${vol}.00000000","q":"${vol * 3}.12345678","O":${E - 86_400_000},"C":${E},"F":${step},"L":${step + 1000},"n":1001}}`
  );
}

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
