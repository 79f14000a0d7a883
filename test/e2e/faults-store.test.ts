/**
 * Faults of the partitioned store (docs/hdf5-layout.md, "The store: a folder of partition
 * files") under the real binance producer and processor, each checked against the
 * independent reference (reference_binance.py reads the store folder):
 *
 * - kill -9 of the processor right after the first row of a new UTC day's partition lands
 *   (Kafka: every window exact after the restart; ZeroMQ: a `crash` /gaps row per symbol and
 *   every window not marked partial exact), both day files present, the old day sealed;
 * - the disk (a small tmpfs) fills just before the stream crosses midnight and stays full
 *   while rows of both days wait: /healthz 503 "failing", then, once freed, every window
 *   exactly once, both partitions readable by h5py, no copy left behind;
 * - a Kafka replay after kill -9 that spans both day files (the commit point is held before
 *   midnight by a symbol whose last windows stay open): nothing counted twice;
 * - retention removes sealed partitions while `npm run export` reads the folder and the
 *   dashboard shows it: the export exits 0 or with one clear line, the dashboard keeps
 *   answering, the open partition is untouched, store_partitions_removed_total counts them.
 *
 * Fixtures: 1 s windows, 1 s lateness, 3 symbols (4 in the replay spec), event times from
 * 23:59:50 to 00:00:10 of a day more than a day ahead of the clock, so only event time closes
 * windows (the wall clock never does) and the reference's rules apply whatever the timing.
 */
import { test } from "node:test";
import fs from "node:fs";
import path from "node:path";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { freePort, ServiceProcess } from "../support/service-process.js";
import { committedOffsets, readTopic } from "../support/kafka-admin.js";
import { smallDisk } from "../support/disk-faults.js";
import { HealthWatch, healthStats, sampleHealth, sinkOf } from "../support/health-watch.js";
import { copyStore, storeFiles } from "../support/store.js";
import { writeMarketFile } from "../support/market-file.js";
import { startDashboard } from "../support/browser.js";
import {
  brief,
  countLogs,
  FAULT_ENV,
  lastEventTimeMs,
  metricAtLeast,
  scenario,
  specFile,
  startPipeline,
  until,
  type Scenario,
  type Transport,
} from "../support/binance-faults.js";
import {
  crashGapsBySymbol,
  csvFiles,
  DAY_MS,
  dashboardMarket,
  dayFile,
  dayId,
  ExportRun,
  fillLeaving,
  fingerprint,
  leftoverCopies,
  malformedCsvLines,
  midnightAhead,
  partitionViews,
  ROLLOVER_ENV,
  sealFile,
  STORE_SYMBOLS,
  storeReference,
  tickerWrite,
  windowStarts,
  writeRolloverFixture,
} from "../support/store-faults.js";

const spec = specFile("faults-store", { kafka: true });

/** The stream: 10 s of event time each side of midnight, an event every 10 ms (2,000 events). */
const BEFORE_MS = 10_000;
const AFTER_MS = 10_000;
const STEP_MS = 10;
/** Lines per second the simulator replays: event time runs at twice the wall clock. */
const RATE = 200;

const iso = (ms: number) => new Date(ms).toISOString();

/** A fixture across a midnight ahead and a pipeline writing the store `<dir>/<name>/binance` (setting `.../binance.h5`). */
async function rollover(
  cleanup: Scenario["cleanup"],
  name: string,
  transport: Transport,
  o: {
    midnight?: number;
    symbols?: readonly string[];
    reorderMs?: number;
    quiet?: Record<string, number>;
    burst?: { fromMs: number; toMs: number; stepMs: number };
    rate?: number;
    storeRoot?: string;
    processorEnv?: Record<string, string>;
    producerEnv?: Record<string, string>;
  } = {},
) {
  const midnight = o.midnight ?? midnightAhead(BEFORE_MS);
  const symbols = o.symbols ?? STORE_SYMBOLS;
  const fx = await writeRolloverFixture(spec.dir, name, {
    midnight,
    beforeMs: BEFORE_MS,
    afterMs: AFTER_MS,
    stepMs: STEP_MS,
    symbols,
    reorderMs: o.reorderMs ?? 0,
    ...(o.quiet ? { quiet: o.quiet } : {}),
    ...(o.burst ? { burst: o.burst } : {}),
  });
  const h5 = path.join(o.storeRoot ?? path.join(spec.dir, name), "binance.h5");
  const pl = await startPipeline(cleanup, {
    transport,
    input: fx.input,
    h5,
    replayRate: o.rate ?? RATE,
    brokers: spec.broker.brokers,
    processorEnv: { ...ROLLOVER_ENV, ...o.processorEnv },
    ...(o.producerEnv ? { producerEnv: o.producerEnv } : {}),
  });
  return {
    fx,
    h5,
    pl,
    symbols,
    midnight,
    oldDay: dayFile(h5, midnight - 1),
    newDay: dayFile(h5, midnight),
  };
}

/** The store holds exactly the two day files, both readable by h5py, the old one sealed; no copy left behind. */
function checkTwoPartitions(
  exp: Scenario["exp"],
  numbers: Scenario["numbers"],
  h5: string,
  oldDay: string,
  newDay: string,
): void {
  const files = storeFiles(h5).map((f) => path.basename(f));
  const views = partitionViews(h5);
  numbers.partitions = views.map((v) => ({
    file: v.file,
    readable: v.readable,
    sealed: v.sealedAt !== null,
    tickerRows: Object.entries(v.tables)
      .filter(([t]) => t.startsWith("ticker/"))
      .reduce((n, [, r]) => n + r, 0),
    lateRows: v.foreignRows,
    ...(v.error ? { error: v.error } : {}),
  }));
  exp.equal(
    files.join(","),
    [path.basename(oldDay), path.basename(newDay)].join(","),
    "the store holds the two day files (the day before and the day after midnight)",
  );
  exp.ok(
    views.length === 2 && views.every((v) => v.readable),
    `both partitions are readable by h5py: ${JSON.stringify(views.map((v) => v.error ?? "ok"))}`,
  );
  const [before, after] = views;
  exp.ok(before?.sealedAt != null, "the old day's partition is sealed (root attribute sealed_at)");
  exp.ok(after !== undefined && after.sealedAt === null, "the new day's partition is open (not sealed)");
  for (const v of views)
    exp.ok(
      Object.keys(v.tables).some((t) => t.startsWith("ticker/")),
      `${v.file} holds ticker rows of its day`,
    );
  exp.equal(leftoverCopies(h5).join(","), "", "no *.tmp-* copy is left in the store folder");
}

function killAtRollover(transport: Transport) {
  return scenario(`store: kill -9 at the roll-over (${transport})`, async ({ exp, numbers, cleanup }) => {
    const started = Date.now();
    const r = await rollover(cleanup, `kill-${transport}`, transport, {
      reorderMs: transport === "kafka" ? 300 : 0,
    });
    const { fx, h5, pl, symbols, oldDay, newDay } = r;
    numbers.fixture = { events: fx.events, from: iso(fx.firstMs), to: iso(fx.lastMs), midnight: iso(r.midnight) };
    const first = pl.processor;
    await until(`the first row in the new day's partition ${path.basename(newDay)}`, () => fs.existsSync(newDay), {
      procs: [first, pl.producer],
      timeoutMs: 60_000,
      everyMs: 10,
    });
    await first.kill9();
    const atKill = {
      line: pl.sim.stats().replay?.cursor ?? 0,
      filesAtKill: storeFiles(h5).map((f) => path.basename(f)),
    };
    // What was durable when the process died (ZeroMQ: windows may be lost only after it).
    const crashCopy = path.join(spec.dir, `kill-${transport}-at-kill.h5`);
    const copied = copyStore(h5, crashCopy);
    const viewsAtKill = partitionViews(crashCopy);
    numbers.atKill = { ...atKill, oldDaySealed: viewsAtKill[0]?.sealedAt != null, leftovers: leftoverCopies(h5) };
    exp.ok(
      viewsAtKill.every((v) => v.readable),
      "every partition file is readable right after kill -9 (no half-written file at a store path)",
    );
    exp.ok(atKill.line < fx.lines, "the stream was still flowing at the kill");

    const second = await pl.startProcessor();
    await pl.settle(fx.events, 90_000);
    const after = {
      in: await second.metric("pipeline_messages_in_total"),
      replayed: await second.metric("pipeline_replayed_total"),
      late: await second.metric("pipeline_rejects_total", 'reason="late"'),
      lateRows: await second.metric("store_late_rows"),
    };
    numbers.restarted = after;
    if (transport === "zmq")
      exp.equal(
        countLogs([second], "the previous run did not stop cleanly; windows it had open are written as partial"),
        1,
        "the restart sees the crash (run marker)",
      );
    exp.equal(await second.stop("SIGTERM"), 0, "the restarted processor stops gracefully (exit 0)");
    exp.equal(await pl.producer.stop("SIGTERM"), 0, "the producer stops gracefully");
    checkTwoPartitions(exp, numbers, h5, oldDay, newDay);

    const args = transport === "zmq" ? ["--may-be-partial", ...(copied > 0 ? ["--crashed-file", crashCopy] : [])] : [];
    const ref = storeReference(fx.input, h5, symbols, args);
    const s = ref.summary;
    numbers.reference = brief(s);
    exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    exp.equal(s.store_files, 2, "the reference read both partition files");
    exp.equal(
      s.problem_count,
      0,
      `every closed window ${transport === "zmq" ? "not marked partial " : ""}exactly once, exact: ${s.problems.join("; ")}`,
    );
    if (transport === "kafka") {
      exp.equal(s.late, 0, "no event of the fixture is late");
      exp.equal(
        s.counted_events + (s.open_events ?? 0),
        fx.events,
        "every event is in a row or in a window still open (Kafka loses nothing)",
      );
      exp.ok(s.expected_windows >= symbols.length * 16, `enough windows were compared (${s.expected_windows})`);
    } else {
      exp.ok(
        (s.partial_windows ?? 0) >= symbols.length,
        `each symbol has a window marked partial after the crash (${s.partial_windows})`,
      );
      exp.ok(s.expected_windows >= symbols.length * 8, `enough exact windows were compared (${s.expected_windows})`);
      const crash = await crashGapsBySymbol(h5);
      numbers.crashGaps = crash;
      for (const sym of symbols)
        exp.equal(crash[sym.toUpperCase()] ?? 0, 1, `/gaps holds one row with cause "crash" for ${sym.toUpperCase()}`);
    }
    numbers.tookMs = Date.now() - started;
  });
}

test(
  "Kafka: kill -9 right after the first row of the new day's partition: both days, every window exact",
  { timeout: 150_000 },
  () => killAtRollover("kafka"),
);

test(
  "ZeroMQ: kill -9 right after the first row of the new day's partition: a crash gap per symbol, the rest exact",
  { timeout: 150_000 },
  () => killAtRollover("zmq"),
);

test(
  "ZeroMQ: the disk fills just before midnight and frees: 503 failing meanwhile, then every window exactly once in two readable partitions",
  { timeout: 150_000 },
  () =>
    scenario("store: disk full at the roll-over (zmq)", async ({ exp, numbers, cleanup }) => {
      const started = Date.now();
      const disk = await smallDisk(8);
      cleanup.add(() => disk.dispose());
      numbers.fault = disk.fault;
      const midnight = midnightAhead(BEFORE_MS);
      const r = await rollover(cleanup, "full", "zmq", {
        midnight,
        storeRoot: disk.dir,
        // A dense burst in [00:00:01, 00:00:02): after the flush of the old day's last window
        // (closed by 00:00:01) seconds of wall time pass before the new day's first window
        // closes (by 00:00:02), so the disk fills in between, at the roll-over.
        burst: { fromMs: midnight + 1_000, toMs: midnight + 2_000, stepMs: 1 },
        // Small ZeroMQ queues (as faults-binance-disk): a paused processor pushes back on the producer.
        processorEnv: { BINANCE_MAX_PENDING_ROWS: "40", ZMQ_RCVHWM: "10" },
        producerEnv: { ZMQ_SNDHWM: "10" },
      });
      const { fx, h5, pl, symbols, oldDay, newDay } = r;
      numbers.fixture = { events: fx.events, from: iso(fx.firstMs), to: iso(fx.lastMs), midnight: iso(midnight) };
      const p = pl.processor;
      // The last flush before the stream crosses midnight: every window of the old day (10 per symbol) written.
      const oldDayRows = symbols.length * (BEFORE_MS / 1000);
      await until(
        `the old day's ${oldDayRows} rows written`,
        async () => (await p.metric("pipeline_messages_out_total")) >= oldDayRows,
        { procs: [p, pl.producer], timeoutMs: 60_000, everyMs: 20 },
      );
      const watch = new HealthWatch(p, 200);
      await disk.fill();
      const fullAt = Date.now();
      const atFill = {
        eventTime: iso(await lastEventTimeMs(p)),
        rowsWritten: await p.metric("pipeline_messages_out_total"),
        newDayExists: fs.existsSync(newDay),
      };
      numbers.atFill = atFill;
      exp.ok(fs.existsSync(oldDay), "the old day's partition was written before the disk filled");
      exp.ok(
        !atFill.newDayExists && atFill.rowsWritten === oldDayRows,
        "the disk filled before the first row of the new day (the roll-over happens while full)",
      );
      // Hold it full: the sink has been failing for 3 s and rows of the new day wait.
      let held: Record<string, unknown> = {};
      try {
        const h = await until(
          "/healthz 503 failing for 3 s while rows of the new day wait",
          async () => {
            const s = await sampleHealth(p);
            const since = Date.parse(sinkOf(s)?.failingSince ?? "");
            const ev = await lastEventTimeMs(p);
            return s.status === 503 && Date.now() - since >= 3_000 && ev >= midnight + 3_000 && s;
          },
          { procs: [p, pl.producer], timeoutMs: 30_000 },
        );
        held = { status: h.status, sink: sinkOf(h), eventTime: iso(await lastEventTimeMs(p)) };
        const reason = sinkOf(h)?.reason ?? "";
        const expected =
          disk.fault === "tmpfs-full" ? /ENOSPC|no space left/i : /EPERM|EACCES|permission|not permitted/i;
        exp.ok(
          expected.test(reason),
          `the failing sink names the cause, the disk (README: 503 with sink.state "failing" and the reason): ${JSON.stringify(reason)}`,
        );
      } catch (err) {
        exp.ok(false, (err as Error).message);
      }
      const newDayWhileFull = fs.existsSync(newDay);
      const freeAt = Date.now();
      await disk.free();
      let recoveredMs: number | undefined;
      try {
        await until(
          '/healthz 200 with sink.state "ok" once space is back',
          async () => {
            const s = await sampleHealth(p);
            return s.status === 200 && sinkOf(s)?.state === "ok";
          },
          { procs: [p], timeoutMs: 20_000 },
        );
        recoveredMs = Date.now() - freeAt;
      } catch (err) {
        exp.ok(false, (err as Error).message);
      }
      const samples = await watch.stop();
      Object.assign(numbers, {
        held,
        fullMs: freeAt - fullAt,
        newDayWhileFull,
        health: healthStats(watch.between(fullAt, freeAt)),
        recoveredMs,
      });
      exp.ok(
        samples.some((s) => s.status === 503),
        "/healthz answers 503 while the disk is full",
      );
      exp.ok(p.exitCode === undefined, "the processor keeps running while the disk is full");

      await pl.settle(fx.events);
      const m = {
        in: await p.metric("pipeline_messages_in_total"),
        flushFailures: await p.metric("pipeline_flush_failures_total"),
        pendingRows: await p.metric("pipeline_pending_rows"),
        outboxDropped: await pl.producer.metric("pipeline_rejects_total", 'reason="outbox_overflow"'),
      };
      numbers.metrics = m;
      exp.ok(m.flushFailures >= 1, "pipeline_flush_failures_total counts the failed writes");
      exp.equal(m.pendingRows, 0, "pipeline_pending_rows is back to 0");
      exp.equal(m.outboxDropped, 0, "the producer dropped nothing");
      exp.equal(m.in, fx.events, "every event reached the processor");
      exp.equal(countLogs([p], "HDF5 write failed; rows kept for retry"), 1, "one failing period is logged once");
      exp.equal(countLogs([p], "HDF5 writes succeed again"), 1, "and its end once");
      exp.equal(await p.stop("SIGTERM"), 0, "the processor stops gracefully (exit 0)");
      await pl.producer.stop("SIGTERM");
      checkTwoPartitions(exp, numbers, h5, oldDay, newDay);

      const ref = storeReference(fx.input, h5, symbols);
      const s = ref.summary;
      numbers.reference = brief(s);
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(s.store_files, 2, "the reference read both partition files");
      exp.equal(s.problem_count, 0, `every closed window exactly once, exact: ${s.problems.join("; ")}`);
      exp.equal(
        s.counted_events + (s.open_events ?? 0),
        fx.events,
        "nothing lost: every event is in a row or an open window",
      );
      exp.ok(s.expected_windows >= symbols.length * 16, `enough windows were compared (${s.expected_windows})`);
      numbers.tookMs = Date.now() - started;
    }),
);

test(
  "Kafka: a replay after kill -9 spans both day partitions (commit point before midnight): nothing counted twice, every window exact",
  { timeout: 150_000 },
  () =>
    scenario("store: kafka replay across the roll-over", async ({ exp, numbers, cleanup }) => {
      const started = Date.now();
      // XRPUSDT goes quiet 1.5 s before midnight: its last windows stay open (the wall clock never
      // closes windows a day ahead), so they hold the commit point of the (single) Kafka partition
      // before midnight while the other symbols write both days.
      const midnight = midnightAhead(BEFORE_MS);
      const symbols = [...STORE_SYMBOLS, "xrpusdt"];
      const r = await rollover(cleanup, "replay", "kafka", {
        midnight,
        symbols,
        reorderMs: 300,
        quiet: { xrpusdt: midnight - 1_500 },
        processorEnv: { KAFKA_TOPIC_PARTITIONS: "1" },
      });
      const { fx, h5, pl, oldDay, newDay } = r;
      numbers.fixture = { events: fx.events, from: iso(fx.firstMs), to: iso(fx.lastMs), midnight: iso(midnight) };
      const first = pl.processor;
      // Well after midnight: rows of several windows of the new day are in its partition.
      await until(
        "event time at 00:00:05 with the new day's partition written",
        async () => fs.existsSync(newDay) && (await lastEventTimeMs(first)) >= midnight + 5_000,
        { procs: [first, pl.producer], timeoutMs: 60_000, everyMs: 50 },
      );
      const position = await first.metric("pipeline_log_position", 'partition="0"');
      await first.kill9();
      const committed = (await committedOffsets(spec.broker.brokers, pl.where.group!, pl.where.topic!)).get(0) ?? -1;
      numbers.atKill = { position, committed, line: pl.sim.stats().replay?.cursor ?? 0 };
      exp.ok(committed >= 0, "the first processor had committed");

      const second = await pl.startProcessor();
      await pl.settle(fx.events, 90_000);
      const replayed = await second.metric("pipeline_replayed_total");
      const resumed = second.logs.filter(
        (l) => l.msg === "watermarks resumed from the partitions' last commits",
      ).length;
      exp.equal(await second.stop("SIGTERM"), 0, "the restarted processor stops gracefully (exit 0)");
      exp.equal(await pl.producer.stop("SIGTERM"), 0, "the producer stops gracefully");

      // What the restart read again: the log from the committed offset to where the dead process was.
      const messages = await readTopic(spec.broker.brokers, pl.where.topic!);
      const times = messages
        .filter((m) => m.partition === 0 && Number(m.offset) >= committed && Number(m.offset) < position)
        .flatMap((m) => {
          try {
            const e = (JSON.parse(m.value.toString("utf8")) as { data?: { E?: unknown } }).data?.E;
            return typeof e === "number" ? [e] : [];
          } catch {
            return [];
          }
        });
      const span = {
        messages: position - committed,
        events: times.length,
        beforeMidnight: times.filter((t) => t < midnight).length,
        afterMidnight: times.filter((t) => t >= midnight).length,
        from: times.length ? iso(Math.min(...times)) : null,
        to: times.length ? iso(Math.max(...times)) : null,
      };
      numbers.replay = { ...span, replayedMetric: replayed, watermarksResumed: resumed };
      exp.ok(span.beforeMidnight > 0, "the replay starts before midnight (windows of the old day's partition)");
      exp.ok(span.afterMidnight > 0, "and goes on after it (windows of the new day's partition)");
      exp.ok(replayed > 0, "the restart recognised replayed events already in the store (pipeline_replayed_total)");
      checkTwoPartitions(exp, numbers, h5, oldDay, newDay);

      const ref = storeReference(fx.input, h5, symbols);
      const s = ref.summary;
      numbers.reference = brief(s);
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(s.store_files, 2, "the reference read both partition files");
      exp.equal(s.problem_count, 0, `every closed window exactly once, exact: ${s.problems.join("; ")}`);
      exp.equal(s.rows_skipped_by_merge_rule, 0, "no row repeats events of another (nothing counted twice)");
      exp.equal(s.late, 0, "no event of the fixture is late");
      exp.equal(s.counted_events + (s.open_events ?? 0), fx.events, "every event is in a row or a window still open");
      exp.ok((s.open_windows ?? 0) >= 1, "XRPUSDT's last windows stay open (they held the commit point)");
      exp.ok(s.expected_windows >= 3 * 16, `enough windows were compared (${s.expected_windows})`);
      numbers.tookMs = Date.now() - started;
    }),
);

test(
  "retention removes sealed partitions while an export and the dashboard read the store: a clean exit or one clear line, the dashboard keeps answering",
  { timeout: 120_000 },
  () =>
    scenario("store: retention under readers", async ({ exp, numbers, cleanup }) => {
      const started = Date.now();
      const root = path.join(spec.dir, "retention");
      const h5 = path.join(root, "binance.h5");
      const dir = path.join(root, "binance");
      fs.mkdirSync(dir, { recursive: true });
      // Three sealed old days and yesterday's open partition: 4 symbols x 720 one-minute windows each.
      const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      const sealedDays = [today - 10 * DAY_MS, today - 9 * DAY_MS, today - 8 * DAY_MS];
      const openDay = today - DAY_MS;
      const WINDOWS = 720;
      const SYMBOLS = 4;
      for (const d of [...sealedDays, openDay]) {
        const file = path.join(dir, `${dayId(d)}.h5`);
        await writeMarketFile(file, SYMBOLS, WINDOWS, d + DAY_MS);
        if (d !== openDay) await sealFile(file, d + DAY_MS + 60_000);
      }
      // Retention half-way between the ends of the second and third old day: the two oldest are due, 12 h either side.
      const retentionMin = Math.round((Date.now() - (today - 7.5 * DAY_MS)) / 60_000);
      const removedFiles = sealedDays.slice(0, 2).map((d) => path.join(dir, `${dayId(d)}.h5`));
      const keptFiles = [sealedDays[2]!, openDay].map((d) => path.join(dir, `${dayId(d)}.h5`));
      const keptPrints = keptFiles.map(fingerprint);
      numbers.store = {
        files: fs.readdirSync(dir).sort(),
        retention: `${retentionMin}m`,
        rowsPerFile: SYMBOLS * WINDOWS,
      };

      // The dashboard on the folder, reading every partition (its chart spans more windows than the store holds).
      const dash = await startDashboard(root, { DASHBOARD_MAX_WINDOWS: "100000", DASHBOARD_WATCH_MS: "100" });
      cleanup.proc(dash.process);
      const dataset = "/ticker/S000USDT";
      const before = await dashboardMarket(dash.url, dataset);
      const pointsBefore = before.market?.points.length ?? 0;
      exp.equal(pointsBefore, 4 * WINDOWS, "before retention the chart holds every day's windows");

      // The export: started first; once it has listed the store and opened its oldest partition
      // (its first CSV appears), it is stopped, retention runs, and it is continued.
      const out = path.join(root, "export-during");
      const exp1 = new ExportRun(dir, out);
      cleanup.add(() => exp1.dispose());
      await until(
        "the export to open the store",
        () => exp1.exitCode !== undefined || fs.existsSync(path.join(out, "ticker")),
        {
          timeoutMs: 30_000,
          everyMs: 5,
        },
      );
      exp1.signal("SIGSTOP");
      const stoppedWhileRunning = exp1.exitCode === undefined;
      exp.ok(stoppedWhileRunning, "the export was still running when retention came (stopped mid-read)");

      const processor = cleanup.proc(
        new ServiceProcess("binance-processor", {
          ZMQ_CONNECT: `tcp://127.0.0.1:${await freePort()}`,
          BINANCE_H5_PATH: h5,
          WINDOW_SECONDS: "60",
          ALLOWED_LATENESS_SECONDS: "5",
          BINANCE_RETENTION: `${retentionMin}m`,
          ...FAULT_ENV,
        }),
      );
      await processor.healthPort();
      const removedMetric = await until(
        "store_partitions_removed_total to count the removals",
        async () => {
          const n = await processor.metric("store_partitions_removed_total");
          return n >= 2 && n;
        },
        { procs: [processor], timeoutMs: 30_000 },
      );
      const health = (await processor.health()).body as { store?: { partitions?: number; sealed?: number } };
      exp.equal(removedMetric, 2, "store_partitions_removed_total counts the two removed partitions");
      exp.ok(
        removedFiles.every((f) => !fs.existsSync(f)),
        "the two sealed partitions past the retention are gone",
      );
      exp.ok(
        keptFiles.every((f) => fs.existsSync(f)),
        "the sealed partition within the retention and the open one stay",
      );
      exp.equal(
        keptFiles.map(fingerprint).join(","),
        keptPrints.join(","),
        "the kept partitions are untouched (same bytes, same mtime)",
      );
      exp.equal(health.store?.partitions, 2, "/healthz store.partitions counts the two left");

      exp1.signal("SIGCONT");
      const code = await exp1.wait(60_000);
      const stderrLines = exp1.stderr.trim() === "" ? [] : exp1.stderr.trim().split("\n");
      const written = csvFiles(out);
      const badLines = [...written.values()].reduce((n, lines) => n + malformedCsvLines(lines), 0);
      numbers.exportDuring = {
        code,
        stderr: stderrLines.slice(0, 3),
        csvFiles: written.size,
        csvRows: [...written.values()].reduce((n, l) => n + l.length - 1, 0),
        malformedLines: badLines,
      };
      exp.ok(code === 0 || code === 1, `the export exits 0 or 1 (${code})`);
      exp.equal(badLines, 0, "every CSV line the export wrote has the header's columns");
      if (code === 0) {
        exp.equal(stderrLines.length, 0, "a clean export says nothing on stderr");
        const rows = written.get(path.join("ticker", "S000USDT.csv"));
        exp.equal((rows?.length ?? 1) - 1, 4 * WINDOWS, "a clean export holds every window it listed");
      } else {
        exp.equal(stderrLines.length, 1, `a failed export says why in one line: ${JSON.stringify(stderrLines)}`);
        exp.ok(
          !/\n\s+at |Error:|node:internal/.test(exp1.stderr),
          `no stack trace on stderr: ${exp1.stderr.slice(0, 300)}`,
        );
        exp.ok(
          removedFiles.some((f) => stderrLines[0]?.includes(path.basename(f))),
          `the line names the removed partition: ${stderrLines[0]}`,
        );
      }

      // An export started after retention reads what is left, cleanly.
      const out2 = path.join(root, "export-after");
      const exp2 = new ExportRun(dir, out2);
      cleanup.add(() => exp2.dispose());
      const code2 = await exp2.wait(60_000);
      const rows2 = csvFiles(out2).get(path.join("ticker", "S000USDT.csv"));
      numbers.exportAfter = { code: code2, rows: (rows2?.length ?? 1) - 1, stderr: exp2.stderr.trim().slice(0, 200) };
      exp.equal(code2, 0, "an export after retention exits 0");
      exp.equal((rows2?.length ?? 1) - 1, 2 * WINDOWS, "and holds the windows of the two partitions left");

      // The dashboard: still answering, its chart without the removed days.
      const cut = sealedDays[2]! / 1000;
      const shown = await until(
        "the dashboard's chart without the removed days",
        async () => {
          const m = await dashboardMarket(dash.url, dataset);
          const pts = m.market?.points ?? [];
          return pts.length > 0 && pts.every((p) => p.time >= cut) && m;
        },
        { procs: [dash.process], timeoutMs: 20_000, everyMs: 250 },
      ).catch((err: Error) => {
        exp.ok(false, err.message);
        return undefined;
      });
      const dashHealth = await dash.process.health();
      numbers.dashboard = {
        pointsBefore,
        pointsAfter: shown?.market?.points.length,
        files: shown?.files?.binance,
        health: dashHealth.status,
      };
      exp.equal(dashHealth.status, 200, "the dashboard's /healthz answers 200 after the files are gone");
      exp.equal(shown?.status, 200, "its page data endpoint (/events) answers 200");
      exp.equal(shown?.market?.points.length, 2 * WINDOWS, "its chart holds the windows of the two partitions left");
      exp.equal(
        (shown?.files?.binance as { state?: string } | undefined)?.state,
        "ok",
        "the page's store line stays ok (retention is not a broken store)",
      );
      exp.ok(dash.process.exitCode === undefined, "the dashboard still runs");
      exp.equal(
        await processor.metric("store_partitions_removed_total"),
        2,
        "nothing else was removed in the later housekeeping rounds",
      );
      exp.equal(await processor.stop("SIGTERM"), 0, "the processor stops gracefully (exit 0)");
      numbers.tookMs = Date.now() - started;
    }),
);

test(
  "a nearly full disk: a partition write that does not fit fails, and the partition stays as it was",
  { timeout: 60_000 },
  async (t) => {
    const disk = await smallDisk(4);
    try {
      if (disk.fault !== "tmpfs-full") {
        t.skip(`needs a tmpfs (writes fail by ${disk.fault} here)`);
        return;
      }
      await scenario("store: nearly full disk (the store's writer)", async ({ exp, numbers }) => {
        // The partition writer the processor uses (H5Appender: copy, append, fsync, rename), on a
        // disk with room for the copy of the partition and one page more, asked to append more.
        const file = path.join(disk.dir, "binance", `${dayId(Date.now())}.h5`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await new H5Appender(file).append([await tickerWrite("BTCUSDT", 0, 100)]);
        const before = fingerprint(file);
        const size = fs.statSync(file).size;
        const fillers = fillLeaving(disk.dir, Math.ceil(size / 4096) * 4096 + 4096);
        let threw: string | undefined;
        try {
          await new H5Appender(file).append([await tickerWrite("BTCUSDT", 1_000, 20_000)]);
        } catch (err) {
          threw = (err as Error).message.slice(0, 200);
        }
        for (const f of fillers) fs.rmSync(f);
        const starts = windowStarts(file, "BTCUSDT");
        const expected = [
          ...Array.from({ length: 100 }, (_, i) => i),
          ...Array.from({ length: 20_000 }, (_, i) => 1_000 + i),
        ];
        const wrong = starts.filter((ws, i) => ws !== expected[i]).length;
        Object.assign(numbers, {
          partitionBytes: size,
          appendThrew: threw ?? false,
          rowsAfter: starts.length,
          rowsWithWrongWindowStart: wrong,
          zeroRowsAfterTheFirst: starts.slice(1).filter((ws) => ws === 0).length,
          leftovers: fs.readdirSync(path.dirname(file)).filter((n) => /\.tmp-/.test(n)),
        });
        if (threw !== undefined) {
          exp.equal(
            fingerprint(file),
            before,
            "the failed write left the partition untouched (same bytes, same mtime)",
          );
        } else {
          exp.ok(
            false,
            `the write reported success on a disk without room for it: it must fail (rows kept for retry) instead of publishing a partition whose rows did not land (${starts.length} rows, ${wrong} with a wrong window_start)`,
          );
        }
        exp.equal(wrong, 0, "every row the partition holds is a row that was written");
      });
    } finally {
      await disk.dispose();
    }
  },
);
