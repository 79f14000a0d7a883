/**
 * kill -9 of the binance-processor over ZeroMQ, 5 s down, then a new process
 * on the same file. ZeroMQ keeps nothing, so events the dead process held are
 * gone; the documented sink behaviour (README.md "When things fail", docs/hdf5-layout.md) asks that the
 * restart, seeing the run marker `<h5>.running`, writes every window of a
 * symbol up to the window of its first event after the restart with
 * complete = 0. The reference (reference_binance.py --may-be-partial) then
 * requires every other window to be exact, and allows a window to be missing
 * only between what the file held at the crash and the symbol's partial window.
 *
 * The fixture has no out-of-order events: with them, a symbol's first event
 * after the restart can be older than events lost just before the crash, and
 * the documented rule would let a window that lost events pass as complete
 * (it marks windows up to the window of the first event, not of the newest).
 */
import { test } from "node:test";
import path from "node:path";
import { sleep } from "../support/service-process.js";
import { SYMBOLS } from "../support/binance-kafka.js";
import { copyStore, runMarkerExists, storeExists } from "../support/store.js";
import {
  brief,
  faultReference,
  metricAtLeast,
  scenario,
  startPipeline,
  writeFixtureWithoutLate,
  specFile,
} from "../support/binance-faults.js";

const EVENTS = 5_000;

const spec = specFile("faults-binance-zmq-crash");

test(
  "ZeroMQ: kill -9, 5 s down, restart: windows that may have lost events are complete = 0, every other window exact",
  { timeout: 180_000 },
  () =>
    scenario("zmq kill -9 and restart", async ({ exp, numbers, cleanup }) => {
      const { input, fixture } = await writeFixtureWithoutLate(spec.dir, "crash", EVENTS, 0);
      const h5 = path.join(spec.dir, "crash.h5");
      // 250 lines/s: 20 s of stream, 15 windows per symbol, one closing about every 1.3 s.
      const pl = await startPipeline(cleanup, { transport: "zmq", input, h5, replayRate: 250 });
      const first = pl.processor;
      await metricAtLeast(first, "pipeline_messages_in_total", Math.floor(EVENTS * 0.3));
      exp.ok(runMarkerExists(h5), "the run marker <h5>.running exists while the processor runs");
      const inBeforeKill = await first.metric("pipeline_messages_in_total");
      await first.kill9();
      const linesAtKill = pl.sim.stats().replay?.cursor ?? 0;
      // What was durable when the process died: lost windows may only be newer than this
      // (a copy of the store: the file, or the folder crash-at-kill/ of partition files).
      const atCrash = path.join(spec.dir, "crash-at-kill.h5");
      exp.ok(storeExists(h5), "rows were written before the crash");
      const copied = copyStore(h5, atCrash) > 0;
      await sleep(5_000);
      const linesAtRestart = pl.sim.stats().replay?.cursor ?? 0;
      exp.ok(linesAtRestart < fixture.lines.length, "the stream was still flowing at the restart");
      const second = await pl.startProcessor();
      await pl.settle(fixture.events);
      const inAfterRestart = await second.metric("pipeline_messages_in_total");
      exp.equal(await second.stop("SIGTERM"), 0, "the restarted processor stops gracefully (exit 0)");
      exp.ok(!runMarkerExists(h5), "a graceful stop removes the run marker");
      exp.equal(await pl.producer.stop("SIGTERM"), 0, "the producer stops gracefully");

      const ref = faultReference(input, [h5], ["--may-be-partial", ...(copied ? ["--crashed-file", atCrash] : [])]);
      const s = ref.summary;
      Object.assign(numbers, {
        inBeforeKill,
        inAfterRestart,
        lostInTransit: fixture.events - inBeforeKill - inAfterRestart,
        linesAtKill,
        linesAtRestart,
        reference: brief(s),
      });
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(s.problem_count, 0, `every window not marked complete = 0 is exact: ${s.problems.join("; ")}`);
      exp.ok(
        (s.partial_windows ?? 0) >= SYMBOLS.length,
        `each symbol's window of its first event after the restart is complete = 0 (${s.partial_windows} partial windows)`,
      );
      exp.ok(s.expected_windows >= SYMBOLS.length * 8, "enough exact windows were compared");
    }),
);
