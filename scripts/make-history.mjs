#!/usr/bin/env node
// Writes a realistic market store: N UTC days x S symbols of window rows in the store layout
// (<dir>/<YYYY-MM-DD>.h5, one sealed partition per day), with the project's own writer
// (H5Appender) and the binance-processor's table specs, so a processor or a reader can be tried
// against a month of history without recording one. Needs `npm run build` first.
//   node scripts/make-history.mjs --dir DIR [--days 30] [--symbols 200] [--window 60]
//        [--stream ticker|aggTrade] [--last-day YYYY-MM-DD] [--lateness 5] [--workers 2]
//        [--one-file PERIOD] [--force]
// --last-day  the newest day written (default: yesterday, UTC), so that a processor started
//             now opens a new partition for today, as on a live day.
// --one-file  every day's rows into the one file <dir>/<PERIOD>.h5 (e.g. today's id), left
//             unsealed: what the earlier single-file layout looked like to a flush (benchmarks).
// --force     replace files of the same names (otherwise the generator refuses to touch them).
// Symbols are SYM000USDT, SYM001USDT, ... (the names the benchmarks' load generators send).
// Days are written by a pool of worker threads (default: one per core, at most 4), each day
// in one append of every symbol's rows, then sealed (root attributes sealed_at and period).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const DAY_MS = 86_400_000;
const SELF = fileURLToPath(import.meta.url);

/** The symbols of a generated store (and of the benchmarks' load generators). */
export const historySymbols = (n) => Array.from({ length: n }, (_, i) => `SYM${String(i).padStart(3, "0")}USDT`);

/** A UTC day id (YYYY-MM-DD) of a time in ms. */
export const dayId = (ms) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/**
 * Generates a store (or one file) in worker threads. Returns what was written.
 * o: { dir, days, symbols, windowSeconds, stream, lastDay, latenessSeconds, oneFile, force }
 */
export async function makeHistory(o, { workers } = {}) {
  return (await makeHistories([o], { workers }))[0];
}

/** Several stores at once, sharing one pool of workers (the biggest jobs first). */
export async function makeHistories(list, { workers = defaultWorkers() } = {}) {
  const t0 = performance.now();
  const jobs = [];
  const plans = list.map((raw, index) => {
    const o = normalise(raw);
    fs.mkdirSync(o.dir, { recursive: true });
    const first = Date.parse(`${o.lastDay}T00:00:00Z`) - (o.days - 1) * DAY_MS;
    const days = Array.from({ length: o.days }, (_, i) => dayId(first + i * DAY_MS));
    const targets = o.oneFile ? [path.join(o.dir, `${o.oneFile}.h5`)] : days.map((d) => path.join(o.dir, `${d}.h5`));
    for (const t of targets) {
      if (!fs.existsSync(t)) continue;
      if (!o.force) throw new Error(`${t} exists (use --force to replace it)`);
      fs.rmSync(t);
    }
    if (o.oneFile) jobs.push({ index, file: targets[0], days, o, weight: days.length + 1 });
    else days.forEach((d, i) => jobs.push({ index, file: targets[i], days: [d], o, seal: d, weight: 1 }));
    return { ...o, files: targets, rows: 0, bytes: 0 };
  });
  jobs.sort((a, b) => b.weight - a.weight);
  const n = Math.max(1, Math.min(workers, jobs.length));
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const { rows } = await runInWorker(job);
        plans[job.index].rows += rows;
      }
    }),
  );
  return plans.map((p) => ({
    dir: p.dir,
    files: p.files.length,
    days: p.days,
    symbols: p.symbols,
    windowSeconds: p.windowSeconds,
    stream: p.stream,
    firstDay: path.basename(p.files[0], ".h5"),
    lastDay: p.lastDay,
    oneFile: p.oneFile ?? null,
    rows: p.rows,
    bytes: p.files.reduce((a, f) => a + fs.statSync(f).size, 0),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  }));
}

function defaultWorkers() {
  return Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
}

function normalise(o) {
  const stream = /^aggtrade$/i.test(o.stream ?? "") ? "aggTrade" : (o.stream ?? "ticker");
  if (stream !== "ticker" && stream !== "aggTrade") throw new Error(`unknown stream ${o.stream}`);
  const windowSeconds = Number(o.windowSeconds ?? 60);
  if (!(windowSeconds >= 1) || DAY_MS % (windowSeconds * 1000) !== 0)
    throw new Error(`--window must divide a day into whole windows of at least 1 s (got ${o.windowSeconds})`);
  const lastDay = o.lastDay ?? dayId(Date.now() - DAY_MS);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(lastDay) || dayId(Date.parse(`${lastDay}T00:00:00Z`)) !== lastDay)
    throw new Error(`--last-day must be a UTC day YYYY-MM-DD (got ${lastDay})`);
  const days = Number(o.days ?? 30);
  const symbols = Number(o.symbols ?? 200);
  if (!(Number.isInteger(days) && days >= 1)) throw new Error("--days must be a whole number >= 1");
  if (!(Number.isInteger(symbols) && symbols >= 1 && symbols <= 1000))
    throw new Error("--symbols must be a whole number from 1 to 1000");
  if (o.oneFile !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2})?$/.test(o.oneFile))
    throw new Error(`--one-file must be a partition id YYYY-MM-DD or YYYY-MM-DDTHH (got ${o.oneFile})`);
  return {
    dir: path.resolve(o.dir),
    days,
    symbols,
    windowSeconds,
    stream,
    lastDay,
    latenessSeconds: Number(o.latenessSeconds ?? 5),
    oneFile: o.oneFile,
    force: o.force === true,
  };
}

function runInWorker(job) {
  return new Promise((resolve, reject) => {
    const w = new Worker(SELF, { workerData: { file: job.file, days: job.days, seal: job.seal, o: job.o } });
    let result;
    w.once("message", (m) => (result = m));
    w.once("error", reject);
    w.once("exit", (code) => (code === 0 && result ? resolve(result) : reject(new Error(`worker exited ${code}`))));
  });
}

// ---- in a worker: one file --------------------------------------------------------------------

/** Rows per append: a day of every symbol, or several days when they fit (about 3M rows, ~0.5 GB). */
const MAX_ROWS_PER_APPEND = 3_000_000;

async function writeFile({ file, days, seal, o }) {
  const { H5Appender } = await import("@cryptostream/common/hdf5/appender");
  const { marketTableSpec } = await import("@cryptostream/binance-processor/sink/market-table");
  const { STREAM_SPECS } = await import("@cryptostream/binance-processor/aggregate/spec");
  const spec = STREAM_SPECS[o.stream];
  const symbols = historySymbols(o.symbols);
  const tables = symbols.map((s) => marketTableSpec(spec, s, o.windowSeconds, o.latenessSeconds));
  const perDay = DAY_MS / (o.windowSeconds * 1000);
  const appender = new H5Appender(file);
  appender.prepare();
  const daysPerAppend = Math.max(1, Math.floor(MAX_ROWS_PER_APPEND / (perDay * symbols.length)));
  let rows = 0;
  for (let i = 0; i < days.length; i += daysPerAppend) {
    const chunk = days.slice(i, i + daysPerAppend);
    const writes = [];
    for (const day of chunk) {
      const start = Date.parse(`${day}T00:00:00Z`);
      tables.forEach((t, k) => writes.push({ spec: t, data: dayRows(t.columns, k, start, perDay, o.windowSeconds) }));
    }
    await appender.append(writes);
    rows += chunk.length * perDay * symbols.length;
  }
  if (seal) {
    // As the processor seals a partition (store.seal): stamped when its lateness had passed.
    const sealedAt = new Date(Date.parse(`${seal}T00:00:00Z`) + DAY_MS + o.latenessSeconds * 1000).toISOString();
    await appender.setRootAttributes({ sealed_at: sealedAt, period: seal });
  }
  return { rows };
}

/** A small fast deterministic generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One day of one symbol's windows: a price random walk (prices on a tick of 1e-4 of the
 * symbol's level, as Binance quotes them), about one ticker event a second per window,
 * event times inside the window, bid/ask around the price, 24 h volumes rising. Column
 * types follow the table spec (int64 as BigInt64Array, float64, uint8, int32).
 */
export function dayRows(columns, k, dayStart, n, windowSeconds) {
  const r = rng(dayStart / 1000 + k * 7919);
  const sizeMs = windowSeconds * 1000;
  const level = 10 + k * 7.31;
  const tick = Math.pow(10, Math.floor(Math.log10(level)) - 4);
  const q = (x) => Math.round(x / tick) * tick;
  const v = {
    start: new Float64Array(n),
    count: new Float64Array(n),
    first: new Float64Array(n),
    last: new Float64Array(n),
    mean: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    tFirst: new Float64Array(n),
    tLast: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let p = level * (1 + (r() - 0.5) * 0.2);
  let vol = 1e5 * (1 + r());
  const perWindow = Math.max(1, windowSeconds);
  for (let i = 0; i < n; i++) {
    const start = dayStart + i * sizeMs;
    const count = Math.max(1, perWindow - Math.floor(r() * Math.min(3, perWindow)));
    const first = q(p);
    let lo = first;
    let hi = first;
    let sum = 0;
    const steps = Math.min(count, 8);
    for (let j = 0; j < steps; j++) {
      p *= 1 + (r() - 0.5) * 0.002;
      const x = q(p);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      sum += x;
    }
    v.start[i] = start;
    v.count[i] = count;
    v.first[i] = first;
    v.last[i] = q(p);
    v.mean[i] = sum / steps;
    v.min[i] = lo;
    v.max[i] = hi;
    v.tFirst[i] = start + Math.floor(r() * Math.min(1000, sizeMs));
    v.tLast[i] = Math.max(v.tFirst[i], start + sizeMs - 1 - Math.floor(r() * Math.min(1000, sizeMs)));
    vol += r() * 50 * windowSeconds;
    v.volume[i] = Math.round(vol * 1e2) / 1e2;
  }
  const data = new Map();
  for (const c of columns) data.set(c.name, column(c, v, n, sizeMs, r));
  return data;
}

function column(c, v, n, sizeMs, r) {
  const f64 = (fn) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = fn(i);
    return a;
  };
  const i64 = (fn) => {
    const a = new BigInt64Array(n);
    for (let i = 0; i < n; i++) a[i] = BigInt(fn(i));
    return a;
  };
  switch (c.name) {
    case "window_start":
      return i64((i) => v.start[i]);
    case "window_end":
      return i64((i) => v.start[i] + sizeMs);
    case "count":
      return i64((i) => v.count[i]);
    case "event_time_first":
      return i64((i) => v.tFirst[i]);
    case "event_time_last":
      return i64((i) => v.tLast[i]);
    case "complete":
      return new Uint8Array(n).fill(1);
    case "gap":
      return new Uint8Array(n);
    case "log_partition":
      return new Int32Array(n).fill(-1);
    case "log_offset_first":
    case "log_offset_last":
      return new BigInt64Array(n).fill(-1n);
  }
  // Value columns of either stream, by name (aggregate/spec.ts).
  const price = {
    price_first: v.first,
    open: v.first,
    price_last: v.last,
    close: v.last,
    price_mean: v.mean,
    price_min: v.min,
    low: v.min,
    price_max: v.max,
    high: v.max,
  }[c.name];
  if (price) return price;
  switch (c.name) {
    case "price_sum":
      return f64((i) => v.mean[i] * v.count[i]);
    case "bid_mean":
      return f64((i) => v.mean[i] * 0.9999);
    case "bid_sum":
      return f64((i) => v.mean[i] * 0.9999 * v.count[i]);
    case "ask_mean":
      return f64((i) => v.mean[i] * 1.0001);
    case "ask_sum":
      return f64((i) => v.mean[i] * 1.0001 * v.count[i]);
    case "volume_last":
      return v.volume;
    case "quote_volume_last":
      return f64((i) => v.volume[i] * v.mean[i]);
    case "vwap":
      return v.mean;
    case "trade_count":
      return i64((i) => v.count[i] * 3);
  }
  // Sums of traded quantities (aggTrade volume, quote_volume, taker_buy_*) and anything newer.
  const quote = /quote/.test(c.name);
  const taker = /taker/.test(c.name) ? 0.5 : 1;
  if (c.type === "<i8") return i64((i) => v.count[i]);
  return f64((i) => {
    const qty = Math.round(r() * 1e4 * v.count[i]) / 1e4;
    return (quote ? qty * v.mean[i] : qty) * taker;
  });
}

// ---- entry points -----------------------------------------------------------------------------

if (!isMainThread && workerData?.o && workerData?.file) {
  writeFile(workerData).then(
    (res) => parentPort.postMessage(res),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { parseArgs } = await import("./lib/args.mjs");
  const USAGE =
    "usage: node scripts/make-history.mjs --dir DIR [--days 30] [--symbols 200] [--window 60] [--stream ticker|aggTrade]\n" +
    "       [--last-day YYYY-MM-DD] [--lateness 5] [--workers N] [--one-file PERIOD] [--force]";
  const args = parseArgs(process.argv.slice(2), {
    values: [
      "--dir",
      "--days",
      "--symbols",
      "--window",
      "--stream",
      "--last-day",
      "--lateness",
      "--workers",
      "--one-file",
    ],
    flags: ["--force", "--help"],
  });
  if (args.flags["--help"] || args.error || !args.values["--dir"] || args.positional.length > 0) {
    console.error(args.error ? `${args.error}\n${USAGE}` : USAGE);
    process.exit(args.flags["--help"] ? 0 : 2);
  }
  const a = args.values;
  try {
    const res = await makeHistory(
      {
        dir: a["--dir"],
        days: a["--days"] ?? 30,
        symbols: a["--symbols"] ?? 200,
        windowSeconds: a["--window"] ?? 60,
        stream: a["--stream"] ?? "ticker",
        lastDay: a["--last-day"],
        latenessSeconds: a["--lateness"] ?? 5,
        oneFile: a["--one-file"],
        force: args.flags["--force"] === true,
      },
      { workers: a["--workers"] ? Number(a["--workers"]) : undefined },
    );
    console.log(
      `${res.dir}: ${res.files} file${res.files === 1 ? "" : "s"} (${res.oneFile ? `one file ${res.oneFile}.h5` : `${res.firstDay} .. ${res.lastDay}, sealed`}), ` +
        `${res.symbols} symbols x ${res.windowSeconds} s ${res.stream} windows, ${res.rows.toLocaleString("en")} rows, ` +
        `${(res.bytes / 1e6).toFixed(0)} MB in ${res.seconds} s`,
    );
  } catch (err) {
    console.error(`make-history: ${err.message}`);
    process.exit(err.message.includes("exists") || err.message.startsWith("--") ? 2 : 1);
  }
}
