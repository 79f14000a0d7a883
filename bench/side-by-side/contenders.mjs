// The processes the side-by-side benchmark compares, each behind the same small
// interface: { name, pid, count(), exited(), stop() }. References print
// "progress <events>" lines; our services are read through their /metrics.
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT, ServiceProcess } from "../../scripts/lib/service-process.mjs";

const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";

/** A process that prints "ready" then "progress <n>" lines. */
export async function lineProcess(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, {
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: "8192", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let n = 0;
  let exitCode;
  let buf = "";
  let onReady;
  const ready = new Promise((r) => (onReady = r));
  child.stdout.on("data", (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line === "ready") onReady();
      else if (line.startsWith("progress ")) n = Number(line.slice(9));
    }
  });
  const exited = new Promise((r) => child.on("exit", (code) => r((exitCode = code))));
  await Promise.race([ready, exited.then(() => Promise.reject(new Error(`${name} exited before ready`)))]);
  return {
    name,
    pid: child.pid,
    count: async () => n,
    exited: () => exitCode !== undefined,
    stop: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export const pythonBinanceZmq = (endpoint, out) =>
  lineProcess("python reference (pyzmq)", PYTHON, [
    path.join(ROOT, "bench/reference/binance_processor.py"),
    "--zmq",
    endpoint,
    "--out",
    out,
  ]);

export const pythonBinanceKafka = (brokers, topic, out) =>
  lineProcess("python reference (kafka-python)", PYTHON, [
    path.join(ROOT, "bench/reference/binance_processor.py"),
    "--kafka",
    brokers,
    "--topic",
    topic,
    "--out",
    out,
  ]);

export const naiveNode = (endpoint) =>
  lineProcess("naive node (zeromq.js + JSON.parse)", process.execPath, [
    path.join(ROOT, "bench/reference/naive-pull.mjs"),
    endpoint,
  ]);

/** The binance-processor service, counted by pipeline_messages_in_total. */
// BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to our processors' node.
export async function ourProcessor(
  name,
  env,
  nodeArgs = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean),
) {
  const proc = new ServiceProcess(
    "binance-processor",
    { BINANCE_SYMBOLS: "*", WINDOW_SECONDS: "60", ALLOWED_LATENESS_SECONDS: "5", ...env },
    { stderr: "inherit", nodeArgs },
  );
  await proc.healthPort(60_000);
  return {
    name,
    pid: proc.pid,
    count: () => proc.metric("pipeline_messages_in_total"),
    exited: () => proc.exitCode !== undefined,
    stop: () => proc.stop("SIGTERM"),
  };
}
