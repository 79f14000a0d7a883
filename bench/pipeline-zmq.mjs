// Benchmark: the binance half end to end at the simulator's full speed: simulator ->
// binance-producer -> ZeroMQ -> binance-processor, all real processes on loopback. Reports
// the rate the processor counted over a fixed interval, and how much the producer dropped
// (outbox overflow) or rejected. No floor yet: the simulator itself is the limit here.
import { spawn } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(name, env) {
  const child = spawn(process.execPath, [path.join(root, "services", name, "dist", "main.js")], {
    env: { PATH: process.env.PATH, LOG_LEVEL: "info", HEALTH_HOST: "127.0.0.1", HEALTH_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const svc = { child, port: undefined };
  let out = "";
  child.stdout.on("data", (c) => {
    out = (out + c).slice(-100_000);
    const m = /"msg":"started"[^\n]*"healthPort":(\d+)/.exec(out);
    if (m) svc.port = Number(m[1]);
  });
  svc.exited = new Promise((r) => child.on("exit", r));
  return svc;
}

async function metric(svc, name, labels) {
  const text = await (await fetch(`http://127.0.0.1:${svc.port}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => l.startsWith(name + (labels ? `{${labels}}` : " ")))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

export async function benchPipelineZmq({ seconds = 15, rate = 200_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pipe-"));
  const simPort = 29443;
  const zmqPort = 25565;
  const sim = start("binance-simulator", { SIM_PORT: String(simPort), SIM_RATE: String(rate), SIM_SEED: "1" });
  const proc = start("binance-processor", {
    ZMQ_CONNECT: `tcp://127.0.0.1:${zmqPort}`,
    BINANCE_H5_PATH: path.join(dir, "b.h5"),
    MALLOC_MMAP_THRESHOLD_: "8192",
  });
  while (!sim.port || !proc.port) await sleep(50);
  const prod = start("binance-producer", {
    BINANCE_WS_URL: `ws://127.0.0.1:${simPort}`,
    ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
  });
  while (!prod.port) await sleep(50);
  await sleep(3_000); // warm up
  const n0 = await metric(proc, "pipeline_messages_in_total");
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const n1 = await metric(proc, "pipeline_messages_in_total");
  const elapsed = (performance.now() - t0) / 1000;
  const dropped = await metric(prod, "pipeline_rejects_total", 'reason="outbox_overflow"');
  for (const s of [prod, proc, sim]) {
    s.child.kill("SIGTERM");
    await s.exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: "binance pipeline end to end over ZeroMQ (simulator at full speed)",
    requestedRate: rate,
    seconds: Number(elapsed.toFixed(2)),
    eventsPerSecond: Math.round((n1 - n0) / elapsed),
    producerDroppedForOverflow: dropped,
    floor: null,
  };
}
