// Benchmark: the binance-processor service process fed over ZeroMQ by bench/ticker-loadgen.mjs.
// Measures the sustained ingest rate (events counted by the processor's own metrics) and its
// RSS, sampled every 250 ms from /proc, to show whether memory stays flat.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, ServiceProcess, sleep } from "../scripts/lib/service-process.mjs";
import { calibrate } from "./calibrate.mjs";

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

const every5 = (samples) => samples.filter((_, i) => i % 5 === 0);

export async function benchProcessorZmq({ events, symbols = 200, port = 25555 }) {
  const before = calibrate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-proc-"));
  const endpoint = `tcp://127.0.0.1:${port}`;
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const proc = new ServiceProcess(
    "binance-processor",
    {
      ZMQ_CONNECT: endpoint,
      BINANCE_SYMBOLS: "*",
      WINDOW_SECONDS: "60",
      ALLOWED_LATENESS_SECONDS: "5",
      BINANCE_H5_PATH: path.join(dir, "bench.h5"),
      // main | worker (see README's configuration table); the service's default when unset.
      ...(process.env.ZMQ_RECEIVE_THREAD ? { ZMQ_RECEIVE_THREAD: process.env.ZMQ_RECEIVE_THREAD } : {}),
    },
    { nodeArgs: nodeFlags, stderr: "inherit" },
  );
  await proc.healthPort(60_000);
  const gen = fork(path.join(ROOT, "bench/ticker-loadgen.mjs"), [endpoint, String(events), String(symbols)], {
    stdio: "inherit",
  });
  // The processor's /metrics is read once a second (each read costs it a little CPU);
  // its RSS, from /proc, four times a second.
  const samples = [];
  let first; // [time, count] when the first event arrived
  let last;
  let peak = 0;
  let peakAt = 0;
  let cpuFirst;
  for (;;) {
    const m = await proc.metrics();
    const n = m.pipeline_messages_in_total ?? 0;
    const now = performance.now();
    if (n > 0 && !first) {
      first = [now, n];
      cpuFirst = mainThreadCpuSeconds(proc.pid);
    }
    const rss = rssMb(proc.pid);
    if (first)
      samples.push({
        t: (now - first[0]) / 1000,
        events: n,
        rssMb: Math.round(rss),
        heapMb: Math.round((m.nodejs_heap_total_bytes ?? 0) / 2 ** 20),
        externalMb: Math.round((m.nodejs_external_memory_bytes ?? 0) / 2 ** 20),
      });
    last = [now, n];
    if (n >= events) break;
    for (let k = 0; k < 4; k++) {
      const r = rssMb(proc.pid);
      if (r > peak) {
        peak = r;
        peakAt = first ? (performance.now() - first[0]) / 1000 : 0;
      }
      await sleep(250);
    }
  }
  const cpuSeconds = mainThreadCpuSeconds(proc.pid) - cpuFirst;
  const final = await proc.metrics();
  const flushSeconds = final.pipeline_flush_seconds_total ?? 0;
  const flushes = final.pipeline_flushes_total ?? 0;
  gen.kill();
  const stopT0 = performance.now();
  const code = await proc.stop("SIGTERM");
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
    // Every ~5 s of the run, to see its shape (flat, sawtooth or growing): events per
    // second in each slice (slow phases: flushes, GC), RSS, V8 heap, external memory.
    every5s: {
      eventsPerSecond: every5(samples)
        .map((s, i, xs) => (i === 0 ? 0 : Math.round((s.events - xs[i - 1].events) / (s.t - xs[i - 1].t))))
        .slice(1),
      rssMb: every5(samples).map((s) => s.rssMb),
      heapTotalMb: every5(samples).map((s) => s.heapMb),
      externalMb: every5(samples).map((s) => s.externalMb),
    },
    stopSeconds: Number(((performance.now() - stopT0) / 1000).toFixed(2)),
    exitCode: code,
    // One core's JSON.parse rate of the same messages just before and after the run:
    // how fast the machine was (see bench/calibrate.mjs).
    machineJsonParsesPerSecond: { before, after: calibrate() },
    floor: { eventsPerSecond: 100_000, peakRssMb: 300 },
  };
}
