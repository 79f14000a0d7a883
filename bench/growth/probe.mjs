// What a partition file costs per row when it is written the processor's way, a flush at a
// time, with the project's writer (H5Appender) and the processor's table specs: each flush
// rewrites the last, partly filled chunk of every table (64 rows, gzip) at a new place in the
// file, so the file grows faster than its rows until the chunk is full. Appends one chunk
// cycle (64 rows per table) in flushes of `rowsPerFlush` rows per table; the slope over the
// cycle is the bytes per row a day's file grows by. Also writes a filler file for the
// old-layout emulation.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";
import { STREAM_SPECS } from "@cryptostream/binance-processor/aggregate/spec";
import { dayRows, historySymbols } from "../../scripts/make-history.mjs";

export async function chunkCycleBytesPerRow({ dir, symbols, windowSeconds, rowsPerFlush }) {
  const file = path.join(dir, `probe-${rowsPerFlush}.h5`);
  fs.rmSync(file, { force: true });
  const tables = historySymbols(symbols).map((s) => marketTableSpec(STREAM_SPECS.ticker, s, windowSeconds, 5));
  const perDay = Math.min(1440, Math.floor(86_400 / windowSeconds));
  const day = Date.UTC(2026, 0, 1);
  const all = tables.map((t, k) => dayRows(t.columns, k, day, perDay, windowSeconds));
  const slice = (data, from, to) => new Map([...data].map(([k, v]) => [k, v.slice(from, to)]));
  const a = new H5Appender(file);
  const flushes = Math.ceil(64 / rowsPerFlush);
  // The first flush creates the tables; the cycle is measured from there to one chunk later.
  await a.append(tables.map((t, k) => ({ spec: t, data: slice(all[k], 0, rowsPerFlush) })));
  const s0 = fs.statSync(file).size;
  for (let i = 1; i <= flushes; i++)
    await a.append(tables.map((t, k) => ({ spec: t, data: slice(all[k], i * rowsPerFlush, (i + 1) * rowsPerFlush) })));
  const s1 = fs.statSync(file).size;
  const rows = flushes * rowsPerFlush * symbols;
  fs.rmSync(file, { force: true });
  return { bytesPerRow: (s1 - s0) / rows, baseBytes: s0, flushes };
}

/** A file at `file` whose only table holds about `bytes` of incompressible data (one append). */
export async function fillerFile(file, bytes) {
  const spec = {
    path: "/filler/history",
    columns: [{ name: "x", type: "<f8" }],
    chunkRows: 65_536,
    gzip: 1,
    attrs: {},
  };
  const per = 16 * 2 ** 20; // 128 MB of doubles per write
  const writes = [];
  for (let left = Math.ceil(bytes / 8); left > 0; left -= per) {
    const x = new Float64Array(Math.min(per, left));
    crypto.randomFillSync(new Uint8Array(x.buffer));
    for (let i = 0; i < x.length; i += 4096) if (!Number.isFinite(x[i])) x[i] = 0;
    writes.push({ spec, data: new Map([["x", x]]) });
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await new H5Appender(file).append(writes);
  return fs.statSync(file).size;
}

/** fillerFile in a worker thread (the event loop stays free for the history generator's pool). */
export function fillerFileInWorker(file, bytes) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { filler: { file, bytes } } });
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => code !== 0 && reject(new Error(`filler worker exited ${code}`)));
  });
}

if (!isMainThread && workerData?.filler)
  fillerFile(workerData.filler.file, workerData.filler.bytes).then((size) => parentPort.postMessage(size));
