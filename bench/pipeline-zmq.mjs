// Benchmark: the binance half end to end at the simulator's full speed: simulator ->
// binance-producer -> ZeroMQ -> binance-processor, all real processes on loopback. Reports
// the rate the processor counted over a fixed interval, and how much the producer dropped
// (outbox overflow) or rejected. No floor yet: the simulator itself is the limit here.
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { ServiceProcess, sleep } from "../scripts/lib/service-process.mjs";

const start = (name, env) => new ServiceProcess(name, env, { stderr: "inherit" });

export async function benchPipelineZmq({ seconds = 15, rate = 200_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pipe-"));
  const simPort = 29443;
  const zmqPort = 25565;
  const sim = start("binance-simulator", { SIM_PORT: String(simPort), SIM_RATE: String(rate), SIM_SEED: "1" });
  const proc = start("binance-processor", {
    ZMQ_CONNECT: `tcp://127.0.0.1:${zmqPort}`,
    BINANCE_H5_PATH: path.join(dir, "b.h5"),
  });
  await Promise.all([sim.healthPort(60_000), proc.healthPort(60_000)]);
  const prod = start("binance-producer", {
    BINANCE_WS_URL: `ws://127.0.0.1:${simPort}`,
    BINANCE_REST_URL: `http://127.0.0.1:${simPort}`,
    ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
  });
  await prod.healthPort(60_000);
  await sleep(3_000); // warm up
  const n0 = await proc.metric("pipeline_messages_in_total");
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const n1 = await proc.metric("pipeline_messages_in_total");
  const elapsed = (performance.now() - t0) / 1000;
  const dropped = await prod.metric("pipeline_rejects_total", 'reason="outbox_overflow"');
  for (const s of [prod, proc, sim]) await s.stop("SIGTERM");
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
