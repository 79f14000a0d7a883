// Throughput of the binance-simulator: node bench/binance-simulator.mjs [seconds] [rate]
// 1. generator + serialisation on one core (ticker and aggTrade);
// 2. the server at SIM_RATE-style `rate` (default 200 000/s) to one client in a
//    worker thread (its own event loop), counting what the client received.
// Prints one JSON line per measurement on stdout. Needs `npm run build` first.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DEFAULT_SYMBOLS } from "../services/binance-simulator/dist/options.js";
import { combinedToJson } from "../services/binance-simulator/dist/serialize.js";
import { startBinanceSimulator } from "../services/binance-simulator/dist/simulator.js";
import { createMarketGenerator } from "../services/binance-simulator/test/dist/market-generator.js";

function out(rec) {
  process.stdout.write(JSON.stringify(rec) + "\n");
}

function benchGenerator(seconds) {
  for (const stream of ["ticker", "aggTrade"]) {
    const g = createMarketGenerator({ symbols: DEFAULT_SYMBOLS, seed: 1, stream });
    for (let i = 0; i < 50_000; i++) combinedToJson(g.next(i)); // warm up the JIT
    let n = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    while (performance.now() < end) {
      for (let i = 0; i < 10_000; i++) combinedToJson(g.next(1_700_000_000_000 + n++));
    }
    out({ bench: "generator+serialise", stream, perSecond: Math.round(n / ((performance.now() - t0) / 1000)) });
  }
}

const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const { WebSocket } = require(workerData.wsPath);
const ws = new WebSocket(workerData.url);
let n = 0;
ws.on("message", () => { n++; });
ws.on("open", () => parentPort.postMessage({ open: true }));
parentPort.on("message", () => { parentPort.postMessage({ count: n }); ws.close(); });
`;

async function benchServer(seconds, rate) {
  const sim = await startBinanceSimulator({ port: 0, rate, seed: 1, pingIntervalMs: 0 });
  const streams = DEFAULT_SYMBOLS.map((s) => `${s}@ticker`).join("/");
  const wsPath = createRequire(import.meta.url).resolve("ws");
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { url: `${sim.url}/stream?streams=${streams}`, wsPath },
  });
  const next = () => new Promise((r) => worker.once("message", r));
  await next();
  const s0 = sim.stats().messagesSent;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const sent = sim.stats().messagesSent - s0;
  worker.postMessage("stop");
  const { count = 0 } = await next();
  const dt = (performance.now() - t0) / 1000;
  out({
    bench: "server->client",
    requestedPerSecond: rate,
    sentPerSecond: Math.round(sent / dt),
    receivedPerSecond: Math.round(count / dt),
    throttledTicks: sim.stats().throttledTicks,
  });
  await worker.terminate();
  await sim.stop();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 2);
  const rate = Number(process.argv[3] ?? 200_000);
  benchGenerator(seconds);
  await benchServer(seconds, rate);
}
