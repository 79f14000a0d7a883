/**
 * Process and broker failures under the binance-processor over Kafka, checked
 * against the documented sink behaviour (README.md "When things fail", docs/hdf5-layout.md):
 *
 * - kill -9 of the processor at 10 seeded random moments in one run, each
 *   time a new process on the same file and group: in the end the file, with
 *   the merge rule, is the reference's (every closed window once, exact), and
 *   equals row by row the file of a control group that was never interrupted
 *   (when the merge rule had nothing to remove);
 * - the broker stopped for 10 s mid-stream and started again: every window
 *   exact in the end.
 *
 * One broker for this file. With KAFKA_BROKERS set, the broker test says why
 * it cannot run and is skipped (it would stop someone else's broker).
 */
import { test } from "node:test";
import path from "node:path";
import { createRng } from "@cryptostream/binance-simulator/rng";
import { sleep } from "../support/service-process.js";
import { compareFiles } from "../support/kafka-compare.js";
import { uniqueName } from "../support/kafka-admin.js";
import { skippedForExternalBroker } from "../support/kafka-broker.js";
import { startKafkaProcessor, SYMBOLS, writeFixture } from "../support/binance-kafka.js";
import {
  brief,
  type Cleanup,
  dayAhead,
  exitReason,
  FAULT_ENV,
  faultReference,
  metricAtLeast,
  quiet,
  scenario,
  startPipeline,
  specFile,
  until,
} from "../support/binance-faults.js";

const spec = specFile("faults-binance-kafka", { kafka: true });

const KILLS = 10;

/** A fixture with late events, replayed at `rate` lines/s through Kafka into `<name>.h5`. */
async function replayThroughKafka(cleanup: Cleanup, name: string, events: number, rate: number) {
  const { input, fixture } = await writeFixture(spec.dir, name, events, dayAhead());
  const h5 = path.join(spec.dir, `${name}.h5`);
  const pl = await startPipeline(cleanup, {
    transport: "kafka",
    input,
    h5,
    replayRate: rate,
    brokers: spec.broker.brokers,
  });
  return { input, fixture, h5, pl };
}

test(
  `Kafka: kill -9 of the processor ${KILLS} times leaves, with the merge rule, the reference's windows`,
  {
    timeout: 300_000,
  },
  () =>
    scenario(`kafka kill -9 x${KILLS}`, async ({ exp, numbers, cleanup }) => {
      // 6,000 events at 60 lines/s: 100 s of stream, about what ten kill-and-rejoin cycles take.
      const { input, fixture, h5, pl } = await replayThroughKafka(cleanup, "kills", 6_000, 60);
      const controlH5 = path.join(spec.dir, "kills-control.h5");
      const control = cleanup.proc(
        startKafkaProcessor(spec.broker.brokers, pl.where.topic!, uniqueName("control"), controlH5, { ...FAULT_ENV }),
      );
      await metricAtLeast(pl.processor, "pipeline_messages_in_total", 200);
      const rng = createRng(20261201);
      const kills: Array<{ afterMs: number; read: number; line: number }> = [];
      for (let i = 0; i < KILLS; i++) {
        // A random moment after the process got its partitions: while it catches up, reads or writes.
        const afterMs = rng.int(200, 3_000);
        await sleep(afterMs);
        const p = pl.processor;
        if (p.exitCode !== undefined) throw new Error(`before kill ${i + 1}: ${exitReason(p)}`);
        const read = await p.metric("pipeline_messages_in_total");
        await p.kill9();
        kills.push({ afterMs, read, line: pl.sim.stats().replay?.cursor ?? 0 });
        await pl.startProcessor();
      }
      numbers.kills = kills;
      numbers.streamStillFlowingAtLastKill = !pl.sim.stats().replay?.finished;
      const last = pl.processor;
      await pl.settle(fixture.events, 120_000);
      await quiet(control);
      numbers.lastProcess = {
        read: await last.metric("pipeline_messages_in_total"),
        replayed: await last.metric("pipeline_replayed_total"),
      };
      exp.equal(await last.stop("SIGTERM"), 0, "the last processor stops gracefully (exit 0)");
      exp.equal(await control.stop("SIGTERM"), 0, "the control stops gracefully (exit 0)");
      await pl.producer.stop("SIGTERM");

      const ref = faultReference(input, [h5]);
      const controlRef = faultReference(input, [controlH5]);
      numbers.reference = brief(ref.summary);
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(ref.summary.problem_count, 0, `every closed window once, exact: ${ref.summary.problems.join("; ")}`);
      exp.equal(
        controlRef.summary.problem_count,
        0,
        `the control is exact too: ${controlRef.summary.problems.join("; ")}`,
      );
      exp.ok(ref.summary.expected_windows >= SYMBOLS.length * 15, "enough windows were compared");
      if (ref.summary.rows_skipped_by_merge_rule === 0) {
        const same = compareFiles(controlH5, h5);
        numbers.comparedWithControl = { rows: same.summary.rows_compared, problems: same.summary.problem_count };
        exp.equal(same.summary.problem_count, 0, `row by row the control's file: ${same.summary.problems.join("; ")}`);
      } else {
        numbers.comparedWithControl = `skipped: the merge rule removed ${ref.summary.rows_skipped_by_merge_rule} rows`;
      }
    }),
);

test(
  "Kafka: the broker stopped for 10 s mid-stream and started again: every window exact",
  {
    timeout: 240_000,
  },
  async (t) => {
    if (skippedForExternalBroker(t, spec.broker)) return;
    await scenario("kafka broker down 10 s", async ({ exp, numbers, cleanup }) => {
      // 250 lines/s: 20 s of stream; the broker goes at about a quarter of it.
      const { input, fixture, h5, pl } = await replayThroughKafka(cleanup, "outage", 5_000, 250);
      await metricAtLeast(pl.processor, "pipeline_messages_in_total", 1_000);
      const downAt = Date.now();
      await spec.broker.stopForRestart();
      const linesAtStop = pl.sim.stats().replay?.cursor ?? 0;
      // While the broker is away the processor says so on /healthz (the dashboard shows it): watched meanwhile.
      const away = until(
        "the processor's /healthz to report the broker away",
        async () => {
          const h = await pl.processor.health();
          return (h.body as { transport?: { state?: string } }).transport?.state === "reconnecting" && h;
        },
        { procs: [pl.processor], timeoutMs: 30_000 },
      ).catch((err: Error) => err);
      await sleep(10_000 - (Date.now() - downAt));
      await spec.broker.start();
      Object.assign(numbers, {
        outageMs: Date.now() - downAt,
        brokerStartMs: spec.broker.startMs(),
        linesAtStop,
        linesAtRestart: pl.sim.stats().replay?.cursor ?? 0,
      });
      const seen = await away;
      if (seen instanceof Error) exp.ok(false, seen.message);
      else {
        numbers.healthWhileDown = { status: seen.status, transport: (seen.body as { transport: unknown }).transport };
        exp.equal(seen.status, 503, "/healthz answers 503 while the broker is away");
      }
      // No supervisor here: a processor that gave up during the outage is started again, as one would be,
      // and counted (the contract does not say a processor rides out a broker outage).
      const exits: Array<number | null> = [];
      for (;;) {
        try {
          await pl.settle(fixture.events, 120_000);
          break;
        } catch (err) {
          if (pl.processor.exitCode === undefined || exits.length >= 3) throw err;
          exits.push(pl.processor.exitCode);
          await pl.startProcessor();
        }
      }
      const p = pl.processor;
      const back = await p.health();
      exp.equal(back.status, 200, `/healthz is ok again once the processor is back: ${JSON.stringify(back.body)}`);
      Object.assign(numbers, {
        processorExits: exits,
        publishRetries: pl.producer.logs.filter((l) => l.msg === "publish failed; retrying").length,
        commitFailures: await p.metric("pipeline_commit_failures_total"),
      });
      exp.equal(await p.stop("SIGTERM"), 0, "the processor stops gracefully (exit 0)");
      exp.equal(await pl.producer.stop("SIGTERM"), 0, "the producer stops gracefully (exit 0)");
      const ref = faultReference(input, [h5]);
      const s = ref.summary;
      numbers.reference = brief(s);
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(s.problem_count, 0, `every closed window once, exact: ${s.problems.join("; ")}`);
      exp.equal(
        s.counted_events + s.late + (s.open_events ?? 0),
        fixture.events,
        "every event is in a row, late, or in a window still open",
      );
      exp.ok(s.expected_windows >= SYMBOLS.length * 10, "enough windows were compared");
    });
  },
);
