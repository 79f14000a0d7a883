#!/usr/bin/env node
// The growth benchmark: does a month of history make writing today dearer? ("cost over time
// is a ratio"). The real binance-processor (ZeroMQ, ticker, every symbol) takes the same live
// feed (bench/growth/live-loadgen.mjs: a fixed rate, events dated now) into
//   (a) an empty store, and
//   (b) a store that already holds 30 days x 200 symbols of 60 s windows, sealed day
//       partitions up to yesterday (scripts/make-history.mjs), so today's rows open a new
//       partition as on a live day,
// in alternating rounds (a b a b), each measured from its second flush (bench/growth/round.mjs):
// ms per flush, MB written per second, event-loop delay p99/max, lag of the newest stored row
// behind the clock; then the ratios history/empty (goal: within 1.2x).
// Once, for the record, the earlier single-file layout, emulated: the open partition (today's
// file) already holds the same 30 days, so each flush copies all of it, as every flush did.
// Then write amplification over a partition's life (bytes the process wrote per byte of the
// partition file), measured over short runs and extrapolated to a day by a stated model.
//
// Windows: WINDOW_SECONDS=5 for the rounds. A window of 200 rows closes every 5 s (lateness
// 5 s, the default) and is flushed BINANCE_FLUSH_SECONDS=2 later (default 5: with 5 s windows
// that would often fold two windows into one flush): each flush carries one row per symbol,
// exactly what a flush carries at 60 s windows, 12 times as often, so a 25 s round sees ~5
// flushes instead of none. Each round is measured from its second flush (the first creates
// the day's file and its 200 tables, once a day).
//   node bench/growth.mjs [--quick]     (npm run build first)
// Environment: BENCH_GROWTH_DIR (where the stores go, default the system's temp folder),
// BENCH_GROWTH_RATE (events/s), BENCH_GROWTH_SECONDS (measured seconds per round).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dayId, makeHistories } from "../scripts/make-history.mjs";
import { chunkCycleBytesPerRow, fillerFileInWorker } from "./growth/probe.mjs";
import { round, runRound } from "./growth/round.mjs";

const DAY_S = 86_400;

export function growthConfig(quick) {
  const env = (k, d) => (process.env[k] !== undefined ? Number(process.env[k]) : d);
  return quick
    ? {
        quick,
        days: 2,
        symbols: 20,
        rate: env("BENCH_GROWTH_RATE", 2_000),
        windowSeconds: 1,
        latenessSeconds: 1,
        flushSeconds: 1,
        measureMs: env("BENCH_GROWTH_SECONDS", 5) * 1000,
        rounds: ["empty", "history"],
        oldLayout: false,
        oneSecondRun: false,
      }
    : {
        quick,
        days: 30,
        symbols: 200,
        rate: env("BENCH_GROWTH_RATE", 20_000),
        windowSeconds: 5,
        latenessSeconds: 5,
        flushSeconds: 2,
        measureMs: env("BENCH_GROWTH_SECONDS", 25) * 1000,
        rounds: ["empty", "history", "empty", "history"],
        oldLayout: true,
        oneSecondRun: true,
      };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const FIGURES = [
  ["msPerFlush", "ms per flush"],
  ["writtenMBPerSecond", "MB written per s"],
  ["loopDelayP99Ms", "event-loop delay p99 ms"],
  ["loopDelayMaxMs", "event-loop delay max ms"],
  ["lagMeanSeconds", "lag of newest row, mean s"],
  ["lagMaxSeconds", "lag of newest row, max s"],
];

/**
 * Write amplification over a day, by a model fed with what the short runs measured:
 * - a flush writes the whole partition file anew (copy, append, fsync, rename), plus a fixed
 *   few bytes c (measured: life write_bytes minus the sizes of the copies made);
 * - the file grows by `bytesPerRow` per row (measured between the first and last flush);
 *   it starts at `baseBytes` (headers of the 200 tables);
 * - a flush takes d(s) = d0 + s / B: d0 the ms per flush of a small file (the empty rounds),
 *   B the copy + fsync rate seen in the old-layout round (a file of the whole history);
 * - flushes come every `periodS` (60 s windows: one per window; 1 s windows: every
 *   BINANCE_FLUSH_SECONDS), but never sooner than 4 d(s) after the previous start
 *   (SINK_MAX_WRITE_SHARE=0.25), and then carry the rows of the whole interval.
 * The result is the sum of the copies over the day divided by the last file's size.
 */
export function dayModel({ periodS, rowsPerSecond, bytesPerRow, baseBytes, fixedBytes, d0Ms, copyBytesPerMs }) {
  let t = 0;
  let s = baseBytes;
  let written = 0;
  let flushes = 0;
  let lastMs = d0Ms;
  let lastPeriod = periodS;
  while (t < DAY_S) {
    const d = d0Ms + s / copyBytesPerMs;
    const period = Math.max(periodS, (4 * d) / 1000);
    s += rowsPerSecond * period * bytesPerRow;
    written += s + fixedBytes;
    t += period;
    flushes++;
    lastMs = d0Ms + s / copyBytesPerMs;
    lastPeriod = period;
  }
  return {
    flushes,
    finalFileMB: round(s / 1e6, 1),
    writtenGB: round(written / 1e9, 1),
    writeAmplification: Math.round(written / s),
    lastFlushMs: Math.round(lastMs),
    lastFlushEverySeconds: round(lastPeriod, 1),
  };
}

/** What a run's life says about its partition: short-run amplification and the model's inputs. */
function lifeFigures(r) {
  const { sizes, writeBytes, fileBytes, flushes } = r.life;
  const copies = sizes.slice(1).reduce((a, x) => a + x.bytes, 0);
  const first = sizes[0];
  const last = sizes.at(-1);
  const bytesPerRow = last.rows > first.rows ? (last.bytes - first.bytes) / (last.rows - first.rows) : NaN;
  return {
    runSeconds: r.life.seconds,
    flushes,
    writtenMB: round(writeBytes / 1e6, 2),
    fileMB: round(fileBytes / 1e6, 2),
    writeAmplification: round(writeBytes / fileBytes, 1),
    bytesPerRow: round(bytesPerRow, 1),
    baseBytes: Math.max(0, Math.round(first.bytes - first.rows * bytesPerRow)),
    // Bytes per flush beyond the copy of the file, over the flushes whose size was seen.
    fixedBytesPerFlush: sizes.length > 1 ? Math.max(0, Math.round((writeBytes - copies - first.bytes) / flushes)) : 0,
  };
}

export async function growthBench({ quick = false, log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const cfg = growthConfig(quick);
  const t0 = performance.now();
  const base = fs.mkdtempSync(path.join(process.env.BENCH_GROWTH_DIR ?? os.tmpdir(), "bench-growth-"));
  const today = dayId(Date.now());
  const yesterday = dayId(Date.now() - DAY_S * 1000);
  const historyDir = path.join(base, "history");
  const oldDir = path.join(base, "old-layout");
  const spec = { days: cfg.days, symbols: cfg.symbols, windowSeconds: 60, stream: "ticker", lastDay: yesterday };
  try {
    log(
      `growth: generating ${cfg.days} days x ${cfg.symbols} symbols of 60 s ticker windows (sealed day partitions up to ${yesterday})` +
        (cfg.oldLayout ? `, and an open file ${today}.h5 as big as all of it (old layout)` : ""),
    );
    // The old layout's file: today's partition holding a filler table as big as the history
    // (incompressible doubles, written by H5Appender in one append), made beside the history.
    const [gen, fillerBytes] = await Promise.all([
      makeHistories([{ ...spec, dir: historyDir }]),
      cfg.oldLayout
        ? fillerFileInWorker(path.join(oldDir, `${today}.h5`), 728e6 * (cfg.days / 30) * (cfg.symbols / 200))
        : 0,
    ]);
    const history = gen[0];
    log(
      `growth: history ${history.files} files, ${(history.rows / 1e6).toFixed(2)} M rows, ${(history.bytes / 1e6).toFixed(0)} MB` +
        (fillerBytes ? `; old-layout file ${(fillerBytes / 1e6).toFixed(0)} MB` : "") +
        ` (${round((performance.now() - t0) / 1000, 1)} s)`,
    );

    const common = {
      rate: cfg.rate,
      symbols: cfg.symbols,
      windowSeconds: cfg.windowSeconds,
      latenessSeconds: cfg.latenessSeconds,
      flushSeconds: cfg.flushSeconds,
      measureMs: cfg.measureMs,
    };
    const header =
      "round  store        flushes  ms/flush  MB/s written  loop p99 ms  loop max ms  lag mean s  lag max s  events/s";
    log(header);
    const line = (i, r) =>
      log(
        `${String(i).padEnd(5)}  ${r.label.padEnd(11)}  ${String(r.flushes).padStart(7)}  ${String(r.msPerFlush).padStart(8)}  ` +
          `${String(r.writtenMBPerSecond).padStart(12)}  ${String(r.loopDelayP99Ms).padStart(11)}  ${String(r.loopDelayMaxMs).padStart(11)}  ` +
          `${String(r.lagMeanSeconds).padStart(10)}  ${String(r.lagMaxSeconds).padStart(9)}  ${String(r.eventsPerSecond).padStart(8)}`,
      );
    const rounds = [];
    for (const [i, kind] of cfg.rounds.entries()) {
      const store = kind === "empty" ? path.join(base, `empty-${i + 1}`) : historyDir;
      const openFile = path.join(store, `${dayId(Date.now())}.h5`);
      const r = await runRound({ ...common, label: kind, store, openFile });
      rounds.push({ round: i + 1, ...r });
      line(i + 1, r);
      // The next round starts where this one did: no open partition of today's.
      for (const name of fs.readdirSync(store))
        if (!/^\d{4}-\d{2}-\d{2}\.h5$/.test(name) || name === path.basename(openFile))
          fs.rmSync(path.join(store, name), { force: true, recursive: true });
      if (kind === "empty") fs.rmSync(store, { recursive: true, force: true });
    }
    const of = (kind) => rounds.filter((r) => r.label === kind);
    const medians = (rs) => Object.fromEntries(FIGURES.map(([k]) => [k, median(rs.map((r) => r[k]))]));
    const empty = medians(of("empty"));
    const withHistory = medians(of("history"));
    const ratios = Object.fromEntries(FIGURES.map(([k]) => [k, round(withHistory[k] / empty[k], 2)]));
    log("history / empty (medians of the rounds), goal within 1.2x:");
    for (const [k, name] of FIGURES)
      log(
        `  ${name.padEnd(28)} ${String(round(empty[k], 2)).padStart(8)} -> ${String(round(withHistory[k], 2)).padStart(8)}  ${ratios[k]}x`,
      );

    let old;
    if (cfg.oldLayout) {
      const openFile = path.join(oldDir, `${today}.h5`);
      const r = await runRound({ ...common, label: "old layout", store: oldDir, openFile });
      old = { ...r, fileMB: round(fillerBytes / 1e6, 0) };
      log(
        `OLD single-file layout, EMULATED (not the code that shipped it): the open partition ${today}.h5 already holds ` +
          `${old.fileMB} MB (a filler table as big as the ${cfg.days} days), so every flush copies all of it, as every flush of the single file did:`,
      );
      log(header);
      line("old", r);
      log(
        `  old / empty: ms per flush ${round(r.msPerFlush / empty.msPerFlush, 1)}x, MB/s written ${round(r.writtenMBPerSecond / empty.writtenMBPerSecond, 1)}x, ` +
          `loop p99 ${round(r.loopDelayP99Ms / empty.loopDelayP99Ms, 1)}x, lag mean ${round(r.lagMeanSeconds / empty.lagMeanSeconds, 1)}x`,
      );
      fs.rmSync(oldDir, { recursive: true, force: true });
    }

    // Write amplification: the empty rounds (one window of rows per flush, as at 60 s windows)
    // and, unless quick, a run at 1 s windows (five windows per flush).
    const amp = [];
    const shortRun = (kind, r) => ({ windows: kind, ...lifeFigures(r) });
    amp.push(
      shortRun(cfg.quick ? `${cfg.windowSeconds} s` : "60 s (run at 5 s: one window per flush)", of("empty")[0]),
    );
    if (cfg.oneSecondRun) {
      const store = path.join(base, "one-second");
      const r = await runRound({
        ...common,
        windowSeconds: 1,
        flushSeconds: 5,
        measureMs: Math.min(cfg.measureMs, 20_000),
        label: "1 s windows",
        store,
        openFile: path.join(store, `${dayId(Date.now())}.h5`),
      });
      amp.push(shortRun("1 s", r));
      fs.rmSync(store, { recursive: true, force: true });
    }
    log("write amplification (bytes the processor wrote per byte of the partition file):");
    for (const a of amp)
      log(
        `  ${a.windows}: short run of ${a.runSeconds} s (process start to last sample, ${a.flushes} flushes): ${a.writtenMB} MB written for a ` +
          `${a.fileMB} MB file = ${a.writeAmplification}x; ${a.bytesPerRow} bytes/row, ${a.fixedBytesPerFlush} bytes/flush beyond the copy`,
      );
    let model;
    if (old) {
      const d0Ms = empty.msPerFlush;
      const copyBytesPerMs = (old.fileMB * 1e6) / Math.max(1, old.msPerFlush - d0Ms);
      const a60 = amp[0];
      const a1 = amp[1] ?? amp[0];
      // Bytes per row over a whole chunk cycle (the short runs see only its cheap start).
      const probe = path.join(base, "probe");
      fs.mkdirSync(probe);
      const c60 = await chunkCycleBytesPerRow({ dir: probe, symbols: cfg.symbols, windowSeconds: 60, rowsPerFlush: 1 });
      const c1 = await chunkCycleBytesPerRow({ dir: probe, symbols: cfg.symbols, windowSeconds: 1, rowsPerFlush: 5 });
      const inputs = (a, c) => ({
        bytesPerRow: c.bytesPerRow,
        baseBytes: c.baseBytes,
        fixedBytes: a.fixedBytesPerFlush,
        d0Ms,
        copyBytesPerMs,
      });
      model = {
        copyMBPerSecond: round(copyBytesPerMs / 1e3, 0),
        d0Ms,
        bytesPerRowOverAChunkCycle: { "60 s": round(c60.bytesPerRow, 1), "1 s": round(c1.bytesPerRow, 1) },
        "60 s": dayModel({ ...inputs(a60, c60), periodS: 60, rowsPerSecond: cfg.symbols / 60 }),
        "1 s": dayModel({ ...inputs(a1, c1), periodS: 5, rowsPerSecond: cfg.symbols }),
      };
      log(
        `  file growth over a whole chunk cycle (64 rows per table, H5Appender, flush by flush): ${model.bytesPerRowOverAChunkCycle["60 s"]} ` +
          `bytes/row at 1 row per table per flush, ${model.bytesPerRowOverAChunkCycle["1 s"]} at 5 (a day of history written in one append: ` +
          `${round(history.bytes / history.rows, 1)})`,
      );
      log(
        `  a day, modelled (each flush rewrites the whole file; flush = ${round(d0Ms, 1)} ms + size / ${model.copyMBPerSecond} MB/s ` +
          `(copy + fsync rate of the old-layout round); flushes at most every 4x their length (SINK_MAX_WRITE_SHARE 0.25)):`,
      );
      for (const k of ["60 s", "1 s"]) {
        const m = model[k];
        log(
          `    ${k} windows: ${m.flushes} flushes, file ${m.finalFileMB} MB, ${m.writtenGB} GB written = ${m.writeAmplification}x; ` +
            `last flush ${m.lastFlushMs} ms, every ${m.lastFlushEverySeconds} s`,
        );
      }
    }
    const minutes = round((performance.now() - t0) / 60_000, 1);
    log(`growth: ${minutes} min`);
    return {
      config: { ...cfg, history: gen, eventsDated: `${today} (live clock)` },
      rounds,
      medians: { empty, history: withHistory },
      ratios,
      oldLayoutEmulated: old ?? null,
      writeAmplification: { shortRuns: amp, day: model ?? null },
      minutes,
    };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The goals of the growth case, in bench.mjs's form. */
export function growthGoals(g) {
  return FIGURES.map(([k, name]) => ({
    comparison: `growth: ${name}, 30 days of history / empty store`,
    ratio: g.ratios[k],
    goal: "within 1.2x",
    met: g.ratios[k] <= 1.2,
  }));
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
  const g = await growthBench({ quick, log: (s) => console.log(s) });
  console.log(JSON.stringify({ ...g, rounds: g.rounds.map(({ life, ...r }) => r) }, null, 2));
}
