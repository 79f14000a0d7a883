// One round of the growth benchmark: the real binance-processor process (ZeroMQ, ticker) fed
// a live ticker feed at a fixed rate (live-loadgen.mjs) into a given store folder, measured
// from its second flush for `measureMs`:
// - ms per flush: pipeline_flush_seconds_total / pipeline_flushes_total (deltas);
// - MB written per second: /proc/<pid>/io write_bytes (delta; every thread of the process,
//   so the copies made on libuv's thread pool count);
// - event-loop delay: process_event_loop_delay_p99_seconds / _max_seconds (10 s windows,
//   run-service.ts), the worst window that lies inside the measurement;
// - lag: the clock minus the newest window_end in the open partition file, read with h5wasm
//   once a second (what a reader of the store sees), mean and max.
// It also keeps what the write-amplification model needs: the open partition's size after
// each flush, rows written, and the process's write_bytes over its whole life.
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadH5 } from "@cryptostream/common/hdf5/h5";
import { freePort, ROOT, ServiceProcess, sleep } from "../../scripts/lib/service-process.mjs";

/** write_bytes and cancelled_write_bytes of a process (all its threads), from /proc. */
export function procIo(pid) {
  const text = fs.readFileSync(`/proc/${pid}/io`, "utf8");
  const get = (k) => Number(new RegExp(`^${k}: (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return { write: get("write_bytes"), cancelled: get("cancelled_write_bytes") };
}

/** The newest window_end (ms) of one table of a partition file, or undefined. */
export async function newestWindowEnd(file, table) {
  if (!fs.existsSync(file)) return undefined;
  const h5 = await loadH5();
  let f;
  try {
    f = new h5.File(file, "r");
    const ds = f.get(table);
    const n = ds?.shape?.[0] ?? 0;
    if (n === 0) return undefined;
    const names = ds.dtype.map(([name]) => name);
    const row = ds.slice([[n - 1, n]])[0];
    return Number(row[names.indexOf("window_end")]);
  } catch {
    return undefined; // replaced while opening: the next sample reads the new one
  } finally {
    f?.close();
  }
}

const fileSize = (f) => {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
};

/**
 * o: { label, store (folder), openFile (the partition the rows go to), rate, symbols,
 *      windowSeconds, latenessSeconds, flushSeconds, measureMs, firstFlushTimeoutMs }
 */
export async function runRound(o) {
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const gen = fork(path.join(ROOT, "bench/growth/live-loadgen.mjs"), [endpoint, String(o.rate), String(o.symbols)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise((r) => gen.once("message", r));
  const startedAt = performance.now();
  const proc = new ServiceProcess(
    "binance-processor",
    {
      ZMQ_CONNECT: endpoint,
      BINANCE_STREAM: "ticker",
      BINANCE_SYMBOLS: "*",
      WINDOW_SECONDS: String(o.windowSeconds),
      ALLOWED_LATENESS_SECONDS: String(o.latenessSeconds),
      BINANCE_FLUSH_SECONDS: String(o.flushSeconds),
      BINANCE_H5_PATH: o.store,
      BINANCE_PARTITION: "day",
    },
    { stderr: "pipe" },
  );
  const table = "/ticker/SYM000USDT";
  try {
    await proc.healthPort(60_000);
    // Until the first flush: the processor is up, the feed flows, the first windows closed.
    const deadline = performance.now() + (o.firstFlushTimeoutMs ?? 60_000);
    let base;
    for (;;) {
      const m = await proc.metrics();
      // From the second flush: the first creates the day's file and its tables (once a day).
      if ((m.pipeline_flushes_total ?? 0) >= (o.warmFlushes ?? 2)) {
        base = { t: performance.now(), m, io: procIo(proc.pid) };
        break;
      }
      if (proc.exitCode !== undefined) throw new Error(`processor exited: ${proc.stderr.slice(-2000)}`);
      if (performance.now() > deadline) throw new Error(`${o.label}: no flush within the time limit`);
      await sleep(200);
    }
    const lags = [];
    const loopWindows = new Map();
    let lastLoop;
    const sizes = [
      {
        flushes: base.m.pipeline_flushes_total,
        rows: base.m.pipeline_messages_out_total ?? 0,
        bytes: fileSize(o.openFile),
      },
    ];
    let m = base.m;
    while (performance.now() - base.t < o.measureMs) {
      await sleep(1000);
      m = await proc.metrics();
      const now = Date.now();
      const end = await newestWindowEnd(o.openFile, table);
      if (end !== undefined) lags.push((now - end) / 1000);
      if (m.pipeline_flushes_total !== sizes.at(-1).flushes)
        sizes.push({
          flushes: m.pipeline_flushes_total,
          rows: m.pipeline_messages_out_total ?? 0,
          bytes: fileSize(o.openFile),
        });
      // Windows of the loop-delay gauges that began inside the measurement (a run shorter
      // than a window: the last value seen, which covers part of it).
      const loop = {
        p99: m.process_event_loop_delay_p99_seconds ?? NaN,
        max: m.process_event_loop_delay_max_seconds ?? NaN,
      };
      if (performance.now() - base.t >= 10_500) loopWindows.set(`${loop.p99}/${loop.max}`, loop);
      else lastLoop = loop;
    }
    const t1 = performance.now();
    const io = procIo(proc.pid);
    const seconds = (t1 - base.t) / 1000;
    const flushes = m.pipeline_flushes_total - base.m.pipeline_flushes_total;
    const flushSeconds = m.pipeline_flush_seconds_total - base.m.pipeline_flush_seconds_total;
    const windows = loopWindows.size > 0 ? [...loopWindows.values()] : lastLoop ? [lastLoop] : [];
    const r = {
      label: o.label,
      seconds: round(seconds, 1),
      eventsPerSecond: Math.round((m.pipeline_messages_in_total - base.m.pipeline_messages_in_total) / seconds),
      flushes,
      msPerFlush: flushes > 0 ? round((flushSeconds / flushes) * 1000, 1) : NaN,
      writtenMBPerSecond: round((io.write - base.io.write) / seconds / 1e6, 2),
      loopDelayP99Ms: windows.length ? round(Math.max(...windows.map((w) => w.p99)) * 1000, 1) : NaN,
      loopDelayMaxMs: windows.length ? round(Math.max(...windows.map((w) => w.max)) * 1000, 1) : NaN,
      lagMeanSeconds: lags.length ? round(lags.reduce((a, b) => a + b, 0) / lags.length, 1) : NaN,
      lagMaxSeconds: lags.length ? round(Math.max(...lags), 1) : NaN,
      rejected: m.pipeline_rejects_total ?? 0,
      // For write amplification: the whole life of the process up to now.
      life: {
        seconds: round((t1 - startedAt) / 1000, 1),
        writeBytes: io.write,
        cancelledWriteBytes: io.cancelled,
        flushes: m.pipeline_flushes_total,
        rows: m.pipeline_messages_out_total ?? 0,
        fileBytes: fileSize(o.openFile),
        sizes,
      },
    };
    return r;
  } finally {
    gen.kill("SIGKILL");
    await proc.stop("SIGTERM", 20_000);
  }
}

export const round = (x, d) => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);
