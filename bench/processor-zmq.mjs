// Benchmark: the binance-processor service process fed over ZeroMQ by bench/ticker-loadgen.mjs.
// Measures the sustained ingest rate (events counted by the processor's own metrics) and its
// RSS, sampled every 250 ms from /proc, to show whether memory stays flat.
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process's main thread (the JavaScript thread; ZeroMQ's I/O thread is separate). */
function mainThreadCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

async function metric(port, name) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name + " "));
  return line ? Number(line.split(" ")[1]) : 0;
}

export async function benchProcessorZmq({ events, symbols = 200, port = 25555 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-proc-"));
  const endpoint = `tcp://127.0.0.1:${port}`;
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, [...nodeFlags, path.join(root, "services/binance-processor/dist/main.js")], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: "info",
      // As in the service images (Dockerfile): ZeroMQ's I/O thread receives into 8 KiB
      // buffers; served by mmap, they go back to the system when freed instead of
      // piling up in a malloc arena (about 50 MB less resident memory under load).
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? "8192",
      HEALTH_PORT: "0",
      HEALTH_HOST: "127.0.0.1",
      ZMQ_CONNECT: endpoint,
      BINANCE_SYMBOLS: "*",
      WINDOW_SECONDS: "60",
      ALLOWED_LATENESS_SECONDS: "5",
      BINANCE_H5_PATH: path.join(dir, "bench.h5"),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let healthPort;
  let out = "";
  proc.stdout.on("data", (c) => {
    out += c;
    const m = /"msg":"started"[^\n]*"healthPort":(\d+)/.exec(out);
    if (m) healthPort = Number(m[1]);
  });
  while (!healthPort) await sleep(50);
  const gen = fork(path.join(root, "bench/ticker-loadgen.mjs"), [endpoint, String(events), String(symbols)], {
    stdio: "inherit",
  });
  const samples = [];
  let first; // [time, count] when the first event arrived
  let last;
  let peak = 0;
  let peakAt = 0;
  let cpuFirst;
  for (;;) {
    const n = await metric(healthPort, "pipeline_messages_in_total");
    const now = performance.now();
    const rss = rssMb(proc.pid);
    if (n > 0 && !first) {
      first = [now, n];
      cpuFirst = mainThreadCpuSeconds(proc.pid);
    }
    if (rss > peak) {
      peak = rss;
      peakAt = first ? (now - first[0]) / 1000 : 0;
    }
    if (first) samples.push({ t: (now - first[0]) / 1000, events: n, rssMb: Math.round(rss) });
    last = [now, n];
    if (n >= events) break;
    await sleep(250);
  }
  const cpuSeconds = mainThreadCpuSeconds(proc.pid) - cpuFirst;
  const flushSeconds = await metric(healthPort, "pipeline_flush_seconds_total");
  const flushes = await metric(healthPort, "pipeline_flushes_total");
  gen.kill();
  const stopT0 = performance.now();
  proc.kill("SIGTERM");
  const code = await new Promise((r) => proc.on("exit", r));
  const seconds = (last[0] - first[0]) / 1000;
  const rate = (last[1] - first[1]) / seconds;
  // RSS flatness: compare the mean of the second and last quarter of the run.
  const q = Math.floor(samples.length / 4);
  const mean = (xs) => xs.reduce((a, b) => a + b.rssMb, 0) / Math.max(1, xs.length);
  const rssSecondQuarter = Math.round(mean(samples.slice(q, 2 * q)));
  const rssLastQuarter = Math.round(mean(samples.slice(3 * q)));
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: "binance-processor ingest over ZeroMQ",
    events,
    symbols,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(rate),
    // The generator and ZeroMQ's I/O threads share the second core: this is what the
    // processor's one JavaScript thread does per second of its own CPU time.
    mainThreadCpuSeconds: Number(cpuSeconds.toFixed(2)),
    eventsPerMainThreadCpuSecond: Math.round((last[1] - first[1]) / cpuSeconds),
    hdf5Flushes: flushes,
    hdf5FlushSeconds: Number(flushSeconds.toFixed(2)),
    peakRssMb: Math.round(peak),
    peakRssAtSeconds: Number(peakAt.toFixed(1)),
    rssSecondQuarterMb: rssSecondQuarter,
    rssLastQuarterMb: rssLastQuarter,
    stopSeconds: Number(((performance.now() - stopT0) / 1000).toFixed(2)),
    exitCode: code,
    floor: { eventsPerSecond: 100_000, peakRssMb: 300 },
  };
}
