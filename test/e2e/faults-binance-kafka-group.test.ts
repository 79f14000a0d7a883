/**
 * Replica churn in one Kafka consumer group, checked against the sink
 * contract (README.md "When things fail", docs/hdf5-layout.md): replicas a and b stay, a
 * third (c) joins and leaves every few seconds, by SIGTERM or by kill -9
 * (seeded). Every rebalance writes open windows as partial rows, a killed c
 * leaves windows written but not committed that a or b count again: the
 * union of the replica files, merged with the merge rule, must still be the
 * reference's windows exactly.
 *
 * Events come out of order by less than the allowed lateness, so none is late.
 * With late events the result would depend on something the contract leaves
 * open: a replica taking a partition over starts a fresh window book, so an
 * event that is late in the log's order (its window already written,
 * complete = 1, by the previous owner) can open that window again there: a
 * second row whose offset range lies outside the first, which the merge rule
 * keeps (seen with a 3.5 s lag: ADAUSDT's first window counted 2 events for 1).
 */
import { test } from "node:test";
import path from "node:path";
import { createRng } from "@cryptostream/binance-simulator/rng";
import { replicaStore, storeExists, storeFiles } from "../support/store.js";
import { type ServiceProcess, sleep } from "../support/service-process.js";
import { createTopic, messageCount, readToEnd, uniqueName } from "../support/kafka-admin.js";
import { assignedPartitions, startKafkaProcessor, startKafkaProducer, SYMBOLS } from "../support/binance-kafka.js";
import {
  brief,
  FAULT_ENV,
  faultReference,
  quiet,
  scenario,
  until,
  specFile,
  writeFixtureWithoutLate,
} from "../support/binance-faults.js";

const PARTITIONS = 6;

const spec = specFile("faults-binance-group", { kafka: true });

test(
  "Kafka: a third replica joins and leaves (SIGTERM, kill -9) every few seconds: the merged files are exact",
  {
    timeout: 240_000,
  },
  () =>
    scenario("kafka group churn", async ({ exp, numbers, cleanup }) => {
      // 6,000 events at 100 lines/s: 60 s of stream, room for about seven join-and-leave cycles.
      // Out of order by 1.5 s, never late: see the file comment.
      const { input, fixture } = await writeFixtureWithoutLate(spec.dir, "churn", 6_000, 1_500);
      const topic = uniqueName("binance-churn");
      const group = uniqueName("churn");
      const h5 = path.join(spec.dir, "churn.h5");
      await createTopic(spec.broker.brokers, topic, PARTITIONS);
      const replica = (id: string) =>
        cleanup.proc(startKafkaProcessor(spec.broker.brokers, topic, group, h5, { ...FAULT_ENV, REPLICA_ID: id }));
      const partitionsOf = (p: ServiceProcess) => assignedPartitions(p, topic) ?? [];
      const a = replica("a");
      const b = replica("b");
      const splitBetween = (...ps: ServiceProcess[]) => {
        const parts = ps.map(partitionsOf);
        return parts.every((x) => x.length > 0) && new Set(parts.flat()).size === PARTITIONS;
      };
      await until("a and b to split the partitions", () => splitBetween(a, b), { procs: [a, b], timeoutMs: 60_000 });
      const sim = await cleanup.sim(input, 100);
      const producer = cleanup.proc(startKafkaProducer(sim.url, spec.broker.brokers, topic));

      const rng = createRng(4242);
      const cycles: Array<{ stop: "SIGTERM" | "kill -9"; partitions: number[]; ranMs: number; exit: number | null }> =
        [];
      while (!sim.stats().replay?.finished) {
        const c = replica("c");
        await until("c to be given partitions", () => partitionsOf(c).length > 0, {
          procs: [a, b, c, producer],
          timeoutMs: 60_000,
        });
        const ranMs = rng.int(2_000, 4_000);
        await sleep(ranMs);
        // The first two cycles take one of each way out; then kill -9 about one time in three.
        const kill = cycles.length === 1 || (cycles.length > 1 && rng.next() < 0.35);
        const exit = kill ? await c.kill9() : await c.stop("SIGTERM");
        cycles.push({ stop: kill ? "kill -9" : "SIGTERM", partitions: partitionsOf(c), ranMs, exit });
        if (!kill) exp.equal(exit, 0, `replica c, cycle ${cycles.length}, stops gracefully (exit 0)`);
        await sleep(rng.int(1_000, 3_000));
      }
      numbers.cycles = cycles;
      await until(
        `the topic to hold ${fixture.events} events`,
        async () => {
          return (await messageCount(spec.broker.brokers, topic)) >= fixture.events;
        },
        { procs: [a, b, producer], timeoutMs: 60_000 },
      );
      await until("a and b to hold every partition again", () => splitBetween(a, b), {
        procs: [a, b],
        timeoutMs: 60_000,
      });
      await until("a and b to read the whole topic", () => readToEnd(spec.broker.brokers, topic, [a, b]), {
        procs: [a, b],
        timeoutMs: 60_000,
      });
      await quiet(a);
      await quiet(b);
      numbers.read = {
        a: await a.metric("pipeline_messages_in_total"),
        b: await b.metric("pipeline_messages_in_total"),
      };
      exp.equal(await a.stop("SIGTERM"), 0, "replica a stops gracefully (exit 0)");
      exp.equal(await b.stop("SIGTERM"), 0, "replica b stops gracefully (exit 0)");
      await producer.stop("SIGTERM");

      const files = ["a", "b", "c"].map((id) => replicaStore(h5, id)).filter(storeExists);
      numbers.files = files.flatMap(storeFiles).map((f) => path.relative(spec.dir, f));
      exp.equal(files.length, 3, "each replica wrote its own file");
      const ref = faultReference(input, files);
      numbers.reference = brief(ref.summary);
      exp.equal(ref.stderr.trim(), "", "the reference ran cleanly");
      exp.equal(
        ref.summary.problem_count,
        0,
        `the merged files hold every closed window once, exact: ${ref.summary.problems.join("; ")}`,
      );
      exp.ok(cycles.some((c) => c.stop === "kill -9") && cycles.some((c) => c.stop === "SIGTERM"), "c left both ways");
      exp.ok(ref.summary.expected_windows >= SYMBOLS.length * 15, "enough windows were compared");
    }),
);
