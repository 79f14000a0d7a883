/**
 * The harness of the partitioned-store fault specs (test/e2e/faults-store.test.ts), on top of
 * binance-faults.ts: ticker fixtures whose event times cross a UTC midnight a day or more
 * ahead of the clock (1 s windows, a few symbols), the independent reference
 * (reference_binance.py) with those windows, what h5py sees in each partition file (readable,
 * sealed, tables), the /gaps rows of a crash, and the readers of a store that retention
 * shrinks under them: `npm run export` (stopped and continued around the removal) and the
 * dashboard's page data (its server-sent events).
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { listStore, periodOf, storeDirOf } from "@cryptostream/common/store/layout";
import { buildReplayFixture } from "@cryptostream/binance-simulator/replay-fixture";
import { readTable } from "./h5-table.js";
import { runPython } from "./python.js";
import { ROOT } from "./service-process.js";
import { storeExists, storeFiles, storeIsHdf5 } from "./store.js";
import type { FaultSummary } from "./binance-faults.js";

export const DAY_MS = 86_400_000;
/** Few symbols and short windows: many windows per second of stream, small files. */
export const STORE_SYMBOLS = ["btcusdt", "ethusdt", "bnbusdt"] as const;
export const STORE_WINDOW_SECONDS = 1;
export const STORE_LATENESS_SECONDS = 1;

/** Processor settings of the roll-over specs (on top of binance-faults' FAULT_ENV). */
export const ROLLOVER_ENV: Readonly<Record<string, string>> = {
  WINDOW_SECONDS: String(STORE_WINDOW_SECONDS),
  ALLOWED_LATENESS_SECONDS: String(STORE_LATENESS_SECONDS),
};

/**
 * A UTC midnight far enough ahead that a fixture starting `beforeMs` earlier lies more than a
 * day ahead of the clock (the wall clock then never closes a window), and at most two days
 * ahead (within the specs' MAX_FUTURE_SKEW_SECONDS of three days).
 */
export function midnightAhead(beforeMs: number): number {
  return Math.ceil((Date.now() + DAY_MS + beforeMs) / DAY_MS) * DAY_MS;
}

/** `2026-12-07` of a time (ms). */
export const dayId = (ms: number) => periodOf(ms, "day").id;

export interface RolloverFixture {
  readonly input: string;
  /** Valid events in the file. */
  readonly events: number;
  readonly lines: number;
  readonly midnight: number;
  /** Event time of the first and last event. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** Events before / from midnight. */
  readonly beforeMidnight: number;
  readonly afterMidnight: number;
}

/**
 * A ticker replay file whose event times run from `midnight - beforeMs` to `midnight + afterMs`,
 * one event every `stepMs` cycling over `symbols`, a malformed line every 97 events, every 13th
 * event `reorderMs` out of order (0: none; always below the lateness, so no event is late
 * wherever a process starts reading). `quiet` symbols send nothing from their `fromMs` on
 * (their last window stays open: the wall clock never closes it).
 */
export async function writeRolloverFixture(
  dir: string,
  name: string,
  o: {
    readonly midnight: number;
    readonly beforeMs: number;
    readonly afterMs: number;
    readonly stepMs: number;
    readonly symbols: readonly string[];
    readonly reorderMs?: number;
    readonly quiet?: Readonly<Record<string, number>>;
    /**
     * Event times [fromMs, toMs) come every `stepMs` instead (a dense burst: many lines, so
     * much wall time, within little event time).
     */
    readonly burst?: { readonly fromMs: number; readonly toMs: number; readonly stepMs: number };
  },
): Promise<RolloverFixture> {
  if ((o.reorderMs ?? 0) >= STORE_LATENESS_SECONDS * 1000) throw new Error("reorderMs must stay below the lateness");
  const start = o.midnight - o.beforeMs;
  const end = o.midnight + o.afterMs;
  const segments: Array<[number, number, number]> = o.burst
    ? [
        [start, o.burst.fromMs, o.stepMs],
        [o.burst.fromMs, o.burst.toMs, o.burst.stepMs],
        [o.burst.toMs, end, o.stepMs],
      ]
    : [[start, end, o.stepMs]];
  const all = segments.flatMap(
    ([from, to, step], i) =>
      buildReplayFixture({
        symbols: o.symbols,
        events: Math.floor((to - from) / step),
        stepMs: step,
        seed: 11 + i,
        malformedEvery: 97,
        startTimeMs: from,
        ...((o.reorderMs ?? 0) > 0 ? { outOfOrderEvery: 13, outOfOrderLagMs: o.reorderMs } : {}),
      }).lines,
  );
  const quiet = new Map(Object.entries(o.quiet ?? {}).map(([s, ms]) => [s.toUpperCase(), ms]));
  const lines = all.filter((l) => l.kind !== "event" || !quiet.has(l.symbol) || l.eventTime < quiet.get(l.symbol)!);
  const events = lines.flatMap((l) => (l.kind === "event" ? [l.eventTime] : []));
  const input = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(input, lines.map((l) => l.text).join("\n") + "\n");
  return {
    input,
    events: events.length,
    lines: lines.length,
    midnight: o.midnight,
    firstMs: Math.min(...events),
    lastMs: Math.max(...events),
    beforeMidnight: events.filter((t) => t < o.midnight).length,
    afterMidnight: events.filter((t) => t >= o.midnight).length,
  };
}

/**
 * reference_binance.py on the store `configured` (its folder's partition files) with the
 * roll-over fixtures' windows, --closed-only and --once (two complete rows of one window
 * anywhere in the store is a problem), plus `args`.
 */
export function storeReference(
  input: string,
  configured: string,
  symbols: readonly string[],
  args: readonly string[] = [],
): { status: number | null; summary: FaultSummary & { store_files: number }; stderr: string } {
  if (!storeIsHdf5(configured))
    throw new Error(
      `the reference cannot check ${configured}: ${storeExists(configured) ? "not HDF5" : "missing"} (${storeFiles(configured).join(", ")})`,
    );
  const r = runPython([
    path.join(ROOT, "test/support/reference_binance.py"),
    "--input",
    input,
    "--h5",
    configured,
    "--stream",
    "ticker",
    "--window-ms",
    String(STORE_WINDOW_SECONDS * 1000),
    "--lateness-ms",
    String(STORE_LATENESS_SECONDS * 1000),
    "--symbols",
    symbols.join(","),
    "--closed-only",
    "--once",
    ...args,
  ]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`reference failed (${r.status}): ${r.stderr}`);
  return { status: r.status, summary: JSON.parse(r.stdout), stderr: r.stderr };
}

export interface PartitionView {
  readonly file: string;
  /** h5py opened it and read every table's length. */
  readonly readable: boolean;
  readonly error?: string;
  /** The root attribute `sealed_at`, or null. */
  readonly sealedAt: string | null;
  /** Compound tables by path, with their row counts. */
  readonly tables: Record<string, number>;
  /** Rows of `/ticker/*` whose window_start lies outside the file's own day (late rows). */
  readonly foreignRows: number;
}

const VIEW_PY = String.raw`
import datetime, json, os, sys
import h5py

def own_day(name):
    try:
        d = datetime.datetime.strptime(name.split(".")[0], "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        return int(d.timestamp()) // 86400
    except ValueError:
        return None

out = []
for p in sys.argv[1:]:
    name = os.path.basename(p)
    day = own_day(name)
    try:
        with h5py.File(p, "r") as f:
            tables = {}
            foreign = [0]
            def visit(n, obj):
                if isinstance(obj, h5py.Dataset) and obj.dtype.names:
                    rows = obj[:]
                    tables[n] = int(rows.shape[0])
                    if n.startswith("ticker/") and day is not None:
                        foreign[0] += int(((rows["window_start"] // 86400000) != day).sum())
            f.visititems(visit)
            a = f.attrs.get("sealed_at")
            sealed = a.decode() if isinstance(a, bytes) else (str(a) if a is not None else None)
            out.append({"file": name, "readable": True, "sealedAt": sealed, "tables": tables, "foreignRows": foreign[0]})
    except Exception as e:
        out.append({"file": name, "readable": False, "error": f"{type(e).__name__}: {e}", "sealedAt": None,
                    "tables": {}, "foreignRows": 0})
print(json.dumps(out))
`;

/** What h5py sees in each store file of `configured` (oldest first). */
export function partitionViews(configured: string): PartitionView[] {
  const files = listStore(storeDirOf(configured)).map((f) => f.path);
  if (files.length === 0) return [];
  const r = runPython(["-c", VIEW_PY, ...files]);
  if (r.status !== 0) throw new Error(`h5py could not list the partitions (${r.status}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout) as PartitionView[];
}

/** Names in the store folder of copies a writer left behind (`*.h5.tmp-<pid>`). */
export function leftoverCopies(configured: string): string[] {
  const dir = storeDirOf(configured);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /\.tmp-/.test(n)) : [];
}

/** The store file of a day (`<dir>/2026-12-07.h5`) of the store configured as `configured`. */
export function dayFile(configured: string, ms: number): string {
  return path.join(storeDirOf(configured), `${dayId(ms)}.h5`);
}

/** /gaps rows with cause `crash`, by symbol (project reader, every store file). */
export async function crashGapsBySymbol(configured: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await readTable(configured, "/gaps")) {
    const cause = String(r.cause).replace(/\0+$/, "");
    if (cause !== "crash") continue;
    const sym = String(r.symbol).replace(/\0+$/, "");
    out[sym] = (out[sym] ?? 0) + 1;
  }
  return out;
}

/** sha256 and mtime of a file, to tell that nobody wrote it. */
export function fingerprint(file: string): string {
  const st = fs.statSync(file);
  return `${crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")}@${st.mtimeMs}`;
}

/** Seals a partition file as the store does: root attributes `sealed_at` and `period`. */
export async function sealFile(file: string, sealedAt: number): Promise<void> {
  await new H5Appender(file).setRootAttributes({
    sealed_at: new Date(sealedAt).toISOString(),
    period: path.basename(file, ".h5"),
  });
}

/**
 * `npm run --silent export -- <store> --csv <out>` in its own process group, so that it can be
 * stopped (SIGSTOP) and continued (SIGCONT) as a whole.
 */
export class ExportRun {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  private readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;

  constructor(store: string, out: string) {
    this.child = spawn("npm", ["run", "--silent", "export", "--", store, "--csv", out], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    this.child.stdout!.setEncoding("utf8").on("data", (c: string) => (this.stdout += c));
    this.child.stderr!.setEncoding("utf8").on("data", (c: string) => (this.stderr += c));
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  signal(sig: NodeJS.Signals): void {
    if (this.exitCode !== undefined) return;
    try {
      process.kill(-this.child.pid!, sig);
    } catch {
      // gone already
    }
  }

  async wait(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the export did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Continues and kills the whole group (cleanup). */
  async dispose(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.signal("SIGCONT");
    this.signal("SIGKILL");
    await this.exited;
  }
}

/** Every CSV file under `dir` (relative name -> lines, header first). */
export function csvFiles(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".csv"))
        out.set(
          path.relative(dir, p),
          fs
            .readFileSync(p, "utf8")
            .split("\n")
            .filter((l, i, a) => l !== "" || i < a.length - 1),
        );
    }
  };
  walk(dir);
  return out;
}

/** Lines of a CSV whose field count differs from the header's, or that do not end the file with a newline. */
export function malformedCsvLines(lines: readonly string[]): number {
  const fields = (l: string) => l.split(",").length;
  const header = lines[0];
  if (header === undefined) return 0;
  return lines.slice(1).filter((l) => fields(l) !== fields(header)).length;
}

export interface MarketEvent {
  readonly dataset: string;
  readonly mode: string;
  readonly points: ReadonlyArray<{ time: number; open: number; close: number; volume: number }>;
}

/**
 * Opens the dashboard's page data stream for `dataset` (GET /events?dataset=...), reads events
 * until the first `market` one (the chart's data) and closes it. Also returns the `files` event
 * (the store's line on the page).
 */
export async function dashboardMarket(
  url: string,
  dataset: string,
  timeoutMs = 15_000,
): Promise<{ status: number; market?: MarketEvent; files?: Record<string, unknown> }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  let status = 0;
  let files: Record<string, unknown> | undefined;
  try {
    const res = await fetch(new URL(`events?dataset=${encodeURIComponent(dataset)}`, url), { signal: ac.signal });
    status = res.status;
    if (res.status !== 200 || !res.body) return { status };
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status, files };
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!event || data === undefined) continue;
        if (event === "files") files = JSON.parse(data) as Record<string, unknown>;
        if (event === "market") return { status, market: JSON.parse(data) as MarketEvent, files };
      }
    }
  } catch (err) {
    // Timed out without a market event: what came so far.
    if (ac.signal.aborted) return { status, files };
    throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

/**
 * Fills the filesystem of `dir` with filler files until about `leaveBytes` stay free (whole
 * pages: tmpfs counts pages). Returns the filler files (remove them to free the space).
 */
export function fillLeaving(dir: string, leaveBytes: number): string[] {
  const free = () => {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  };
  const files: string[] = [];
  for (const chunk of [1 << 16, 4096]) {
    while (free() - chunk >= leaveBytes) {
      const f = path.join(dir, `filler-${files.length}`);
      fs.writeFileSync(f, Buffer.alloc(chunk));
      files.push(f);
    }
  }
  return files;
}

/** Ticker rows for one symbol with window_start = first .. first + n - 1 (random values), as the processor lays them out. */
export async function tickerWrite(symbol: string, first: number, n: number) {
  const { TICKER } = await import("@cryptostream/binance-processor/aggregate/spec");
  const { marketColumns, marketTableSpec } = await import("@cryptostream/binance-processor/sink/market-table");
  const columns = marketColumns(TICKER);
  const data = new Map(
    columns.map((c) => [
      c.name,
      Array.from({ length: n }, (_, i) =>
        c.type === "<i8" ? BigInt(c.name === "window_start" ? first + i : i) : Math.random(),
      ),
    ]),
  );
  return { spec: marketTableSpec(TICKER, symbol, 1, 1), data };
}

/** window_start of every row of `/ticker/<symbol>` in one file, read by h5py. */
export function windowStarts(file: string, symbol: string): number[] {
  const r = runPython([
    "-c",
    `import h5py, json, sys\nwith h5py.File(sys.argv[1], "r") as f:\n    print(json.dumps([int(x) for x in f["ticker/" + sys.argv[2]]["window_start"][:]]))`,
    file,
    symbol,
  ]);
  if (r.status !== 0) throw new Error(`h5py could not read ${file}: ${r.stderr.trim().split("\n").at(-1)}`);
  return JSON.parse(r.stdout) as number[];
}
