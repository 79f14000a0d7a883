/**
 * Disk faults under a running binance-processor, over ZeroMQ and over Kafka,
 * checked against the documented sink behaviour (README.md "When things fail", docs/hdf5-layout.md):
 *
 * - the output folder (a small tmpfs) fills up for 10 s mid-stream, then space
 *   comes back: /healthz says 503 "failing" meanwhile and 200 "ok" after,
 *   intake pauses behind the pending rows (ZeroMQ: the socket is not read, so
 *   the queues push back on the producer), and in the end every window the input closes is in the file
 *   exactly once with exact values;
 * - the HDF5 file is deleted, or replaced by garbage, while the processor
 *   runs: it keeps running, sets garbage aside as `<path>.damaged-*` (bytes
 *   untouched), starts a new file, and every window closing after the fault
 *   is in the new file, once, exact. The file is the one the processor
 *   writes: the configured path, or the newest partition of the store folder.
 *
 * The real producer and processor run as processes; the simulator replays a
 * fixture dated a day ahead; reference_binance.py (h5py) checks the file.
 */
import { test } from "node:test";
import fs from "node:fs";
import path from "node:path";
import { sleep } from "../support/service-process.js";
import { SYMBOLS, writeFixture } from "../support/binance-kafka.js";
import { damagedCopies, deleteFile, isHdf5, replaceWithGarbage, smallDisk } from "../support/disk-faults.js";
import { activePartition } from "../support/store.js";
import { HealthWatch, healthStats, sampleHealth, sinkOf } from "../support/health-watch.js";
import {
  brief,
  countLogs,
  dayAhead,
  faultReference,
  lastEventTimeMs,
  metricAtLeast,
  scenario,
  startPipeline,
  until,
  type Transport,
  specFile,
} from "../support/binance-faults.js";

const FULL_MS = 10_000;
/** Rows waiting behind failing writes beyond which intake pauses (contract: BINANCE_MAX_PENDING_ROWS). */
const MAX_PENDING_ROWS = 20;

const spec = specFile("faults-binance-disk", { kafka: true });

function diskFull(transport: Transport) {
  return scenario(`disk full 10 s (${transport})`, async ({ exp, numbers, cleanup }) => {
    const disk = await smallDisk(8);
    cleanup.add(() => disk.dispose());
    numbers.fault = disk.fault;
    const h5 = path.join(disk.dir, "binance.h5");
    // 6,000 events at 300 lines/s: 20 s of stream, 18 windows per symbol.
    const { input, fixture } = await writeFixture(spec.dir, `full-${transport}`, 6_000, dayAhead());
    const pl = await startPipeline(cleanup, {
      transport,
      input,
      h5,
      replayRate: 300,
      brokers: spec.broker?.brokers,
      // Small ZeroMQ queues, so a paused processor pushes back on the producer within a few events.
      processorEnv: { BINANCE_MAX_PENDING_ROWS: String(MAX_PENDING_ROWS), ZMQ_RCVHWM: "10" },
      producerEnv: { ZMQ_SNDHWM: "10" },
    });
    const p = pl.processor;
    await metricAtLeast(p, "pipeline_messages_out_total", 2 * SYMBOLS.length);
    const healthy = await sampleHealth(p);
    exp.equal(healthy.status, 200, "before the fault /healthz answers 200");
    exp.equal(sinkOf(healthy)?.state, "ok", 'before the fault /healthz has sink.state "ok"');

    const watch = new HealthWatch(p, 200);
    const producerWatch = new HealthWatch(pl.producer, 250);
    const fullAt = Date.now();
    await disk.fill();
    await sleep(FULL_MS);
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
    const producerQueued = (await producerWatch.stop()).map((s) => Number(s.body?.queued ?? 0));

    const whileFull = watch.between(fullAt, freeAt);
    const first503 = whileFull.findIndex((s) => s.status === 503);
    const failing = whileFull.map(sinkOf).filter((s) => s?.state === "failing");
    Object.assign(numbers, {
      health: healthStats(whileFull),
      healthAfter: healthStats(watch.between(freeAt)),
      recoveredMs,
      producerOutboxMax: Math.max(0, ...producerQueued),
    });
    exp.ok(p.exitCode === undefined, `the processor keeps running while the disk is full (exit ${p.exitCode})`);
    exp.ok(first503 >= 0, "/healthz answers 503 while the disk is full");
    exp.ok(
      first503 < 0 || whileFull.slice(first503).every((s) => s.status === 503),
      "/healthz stays 503 from the first failed write until space comes back",
    );
    exp.ok(failing.length > 0, 'while full, the /healthz body has sink.state "failing"');
    exp.ok(
      failing.some((s) => !!s?.reason && !Number.isNaN(Date.parse(s.failingSince ?? ""))),
      "the failing sink names a reason and an ISO failingSince",
    );
    exp.ok(
      whileFull.some((s) => sinkOf(s)?.intakePaused === true),
      `intake pauses with more than ${MAX_PENDING_ROWS} rows pending (sink.intakePaused)`,
    );
    exp.ok(samples.length > 0 && recoveredMs !== undefined, "/healthz is 200 again after space came back");
    // Not asserted: while the processor does not read, loopback TCP buffers (megabytes) take this whole
    // stream before ZeroMQ's high-water marks reach the producer's outbox; producerOutboxMax says how far it got.

    await pl.settle(fixture.events);
    const metrics = {
      in: await p.metric("pipeline_messages_in_total"),
      flushFailures: await p.metric("pipeline_flush_failures_total"),
      pendingRows: await p.metric("pipeline_pending_rows"),
      intakePaused: await p.metric("pipeline_intake_paused"),
      outboxDropped: await pl.producer.metric("pipeline_rejects_total", 'reason="outbox_overflow"'),
    };
    numbers.metrics = metrics;
    exp.ok(metrics.flushFailures >= 1, "pipeline_flush_failures_total counts the failed writes");
    exp.equal(metrics.pendingRows, 0, "pipeline_pending_rows is back to 0");
    exp.equal(metrics.intakePaused, 0, "pipeline_intake_paused is back to 0");
    exp.equal(metrics.outboxDropped, 0, "the producer dropped nothing");
    if (transport === "zmq") exp.equal(metrics.in, fixture.events, "every event reached the ZeroMQ processor");
    for (const [msg, n] of [
      ["HDF5 write failed; rows kept for retry", 1],
      ["HDF5 writes succeed again", 1],
      ["intake paused: rows pending behind failing writes", 1],
      ["intake resumed", 1],
    ] as const)
      exp.equal(countLogs([p], msg), n, `log "${msg}" once for the one failing period`);
    exp.equal(damagedCopies(h5).length, 0, "a full disk is not a damaged file: nothing is set aside");

    exp.equal(await p.stop("SIGTERM"), 0, "the processor stops gracefully (exit 0)");
    await pl.producer.stop("SIGTERM");
    const ref = faultReference(input, [h5]);
    numbers.reference = brief(ref.summary);
    exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    exp.equal(
      ref.summary.problem_count,
      0,
      `every closed window exactly once, exact: ${ref.summary.problems.join("; ")}`,
    );
    exp.ok(ref.summary.expected_windows >= SYMBOLS.length * 10, "enough windows were compared");
  });
}

function fileFault(transport: Transport, kind: "deleted" | "garbage") {
  return scenario(`file ${kind} (${transport})`, async ({ exp, numbers, cleanup }) => {
    const name = `${kind}-${transport}`;
    const h5 = path.join(spec.dir, `${name}.h5`);
    // 4,000 events at 250 lines/s: 16 s of stream, 12 windows per symbol.
    const { input, fixture } = await writeFixture(spec.dir, name, 4_000, dayAhead());
    const pl = await startPipeline(cleanup, { transport, input, h5, replayRate: 250, brokers: spec.broker?.brokers });
    const p = pl.processor;
    await metricAtLeast(p, "pipeline_messages_out_total", 2 * SYMBOLS.length);
    // Right after a flush: the next is BINANCE_FLUSH_SECONDS away, so no copy of the old file is under way.
    const flushes = await p.metric("pipeline_flushes_total");
    await until("a flush", async () => (await p.metric("pipeline_flushes_total")) > flushes, {
      procs: [p],
      everyMs: 20,
    });
    const target = activePartition(h5);
    numbers.target = path.relative(spec.dir, target);
    const garbage = kind === "garbage" ? replaceWithGarbage(target, 4096, 11) : undefined;
    if (kind === "deleted") deleteFile(target);
    const faultAt = Date.now();
    // Every window closing after this event time closes after the fault: it belongs in the new file.
    const faultEventTime = await lastEventTimeMs(p);
    numbers.faultEventTime = new Date(faultEventTime).toISOString();
    try {
      await until("a new HDF5 file at the path", () => isHdf5(target), { procs: [p], timeoutMs: 20_000 });
      numbers.newFileAfterMs = Date.now() - faultAt;
    } catch (err) {
      exp.ok(false, (err as Error).message);
    }
    await pl.settle(fixture.events);
    exp.ok(p.exitCode === undefined, "the processor keeps running");
    if (transport === "zmq")
      exp.equal(await p.metric("pipeline_messages_in_total"), fixture.events, "every event reached the processor");
    numbers.setAside = await p.metric("pipeline_files_set_aside_total");
    numbers.flushFailures = await p.metric("pipeline_flush_failures_total");

    const damaged = damagedCopies(h5);
    numbers.damaged = damaged.map((f) => path.basename(f));
    if (garbage) {
      exp.equal(damaged.length, 1, "the garbage is set aside once");
      exp.ok(
        damaged.length === 1 && /\.damaged-\d{8}T\d{6}Z$/.test(damaged[0]!),
        "named <path>.damaged-<YYYYMMDDTHHMMSSZ>",
      );
      exp.ok(damaged.length === 1 && fs.readFileSync(damaged[0]!).equals(garbage), "its bytes are the garbage");
      const moved = p.logs.filter((l) => l.msg === "output file is not readable HDF5; moved aside");
      exp.equal(moved.length, 1, 'log "output file is not readable HDF5; moved aside" once');
      exp.ok(
        moved.length === 1 &&
          path.resolve(String(moved[0]!.file)) === path.resolve(target) &&
          path.resolve(String(moved[0]!.movedTo)) === damaged[0],
        "that log names file and movedTo",
      );
      exp.equal(numbers.setAside, 1, "pipeline_files_set_aside_total is 1");
    } else {
      exp.equal(damaged.length, 0, "a deleted file sets nothing aside");
      exp.equal(
        countLogs([p], "output file is missing; starting a new one"),
        1,
        'log "output file is missing; starting a new one" once',
      );
    }
    exp.equal(await p.stop("SIGTERM"), 0, "the processor stops gracefully (exit 0)");
    await pl.producer.stop("SIGTERM");
    const ref = faultReference(input, [h5], ["--after-ms", String(faultEventTime)]);
    numbers.reference = brief(ref.summary);
    exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
    exp.equal(
      ref.summary.problem_count,
      0,
      `each window closing after the fault is in the new file once, exact: ${ref.summary.problems.join("; ")}`,
    );
    exp.ok(ref.summary.expected_windows >= SYMBOLS.length * 4, "enough windows closed after the fault");
  });
}

const T = { timeout: 180_000 };
test("ZeroMQ: the output folder fills up for 10 s: 503 failing, then 200; nothing lost, every window exact", T, () =>
  diskFull("zmq"),
);
test("Kafka: the output folder fills up for 10 s: 503 failing, then 200; every window exact", T, () =>
  diskFull("kafka"),
);
test("ZeroMQ: the HDF5 file is deleted: a new file holds every later window, exact", T, () =>
  fileFault("zmq", "deleted"),
);
test("ZeroMQ: the HDF5 file is replaced by garbage: set aside, a new file holds every later window", T, () =>
  fileFault("zmq", "garbage"),
);
test("Kafka: the HDF5 file is deleted: a new file holds every later window, exact", T, () =>
  fileFault("kafka", "deleted"),
);
test("Kafka: the HDF5 file is replaced by garbage: set aside, a new file holds every later window", T, () =>
  fileFault("kafka", "garbage"),
);
