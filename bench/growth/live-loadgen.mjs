#!/usr/bin/env node
// A live ticker feed for the growth benchmark: binds a ZeroMQ PUSH socket and sends
// `rate` 24hrTicker combined-stream messages a second, symbols in rotation, each dated now
// (E = the wall clock when it is sent), in multipart messages of up to 64 events as the
// binance-producer sends them, until it is killed. Unlike bench/ticker-loadgen.mjs (as fast
// as possible, event time racing ahead), windows close by the clock as on a live day, so
// the lag of the newest stored row behind the clock means what it says.
//   node bench/growth/live-loadgen.mjs <endpoint> <rate> <symbols>
import * as zmq from "zeromq";

const [endpoint, rateArg, symbolsArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 20_000);
const nSymbols = Number(symbolsArg ?? 200);
const FRAMES = 64;
const TICK_MS = 10;
const symbols = Array.from({ length: nSymbols }, (_, i) => `SYM${String(i).padStart(3, "0")}USDT`);
const heads = symbols.map((s) => `{"stream":"${s.toLowerCase()}@ticker","data":{"e":"24hrTicker","E":`);
const prices = symbols.map((_, k) => 10 + k * 7.31);
const steps = symbols.map(() => 0);

function message(k, now) {
  const p = (prices[k] *= 1 + (Math.random() - 0.5) * 0.0004);
  const c = p.toFixed(8);
  const step = steps[k]++;
  const vol = 1000 + step;
  return (
    `${heads[k]}${now},"s":"${symbols[k]}","p":"12.34000000","P":"0.520","w":"${c}","x":"${c}","c":"${c}",` +
    `"Q":"0.01000000","b":"${(p * 0.9999).toFixed(8)}","B":"1.20000000","a":"${(p * 1.0001).toFixed(8)}",` +
    `"A":"0.80000000","o":"${c}","h":"${(p * 1.01).toFixed(8)}","l":"${(p * 0.99).toFixed(8)}",` +
    `"v":"${vol}.00000000","q":"${vol * 3}.12345678","O":${now - 86_400_000},"C":${now},"F":${step},"L":${step + 1000},"n":1001}}`
  );
}

const sock = new zmq.Push({ sendHighWaterMark: 2_000, linger: 0 });
await sock.bind(endpoint);
process.send?.({ ready: true });

// Paced by the clock: at each tick, as many events as the rate owes since the start. If the
// processor is slower (or not yet connected), the owed events are dropped, not sent late in a
// burst with stale times: what it gets is always a live feed.
const t0 = performance.now();
let sent = 0;
let k = 0;
let busy = false;
setInterval(async () => {
  if (busy) return;
  busy = true;
  try {
    const owed = Math.floor(((performance.now() - t0) / 1000) * rate) - sent;
    const n = Math.min(owed, rate); // never more than a second's worth at once
    const now = Date.now();
    for (let i = 0; i < n; i += FRAMES) {
      const frames = [];
      for (let j = i; j < Math.min(n, i + FRAMES); j++) {
        frames.push(message(k, now));
        k = (k + 1) % nSymbols;
      }
      await sock.send(frames);
    }
    sent += owed;
  } finally {
    busy = false;
  }
}, TICK_MS);
process.on("SIGTERM", () => process.exit(0));
