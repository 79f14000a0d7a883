/**
 * Replicas of the twitter-processor in one Kafka consumer group (one broker
 * for this file, on loopback): two stay, a third joins and leaves every few
 * seconds (SIGTERM, every third time SIGKILL). Two producers with disjoint
 * queries (English / not English) key their messages by query, so the
 * stream spans two partitions and moves between replicas at each rebalance.
 * The union of the replica files, read with the documented merge rule
 * (README.md "When things fail", docs/hdf5-layout.md), must be exactly what was served.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { type ICustomPartitioner, Partitioners } from "kafkajs";
import { createTopic, endOffsets, uniqueName } from "../support/kafka-admin.js";
import { replicaStore, storeExists, storeFiles } from "../support/store.js";
import { type ServiceProcess, sleep } from "../support/service-process.js";
import { E2E_QUERY, startTwitterProducer } from "../support/twitter-e2e.js";
import { allMatchingServed, kafkaTwitterEnv, settled, startKafkaTwitterProcessor } from "../support/twitter-kafka.js";
import {
  checkFacts,
  checkTwitterFiles,
  joined,
  logsWith,
  outcome,
  producerIdle,
  SINK_ENV,
  specResources,
  streamUntil,
  summaryLine,
  withRun,
} from "../support/twitter-fault-pipeline.js";

const PARTITIONS = 3;
const CHURN_MS = 60_000;
/** Disjoint halves of the end-to-end query: together they match what E2E_QUERY matches. */
const QUERIES = [`${E2E_QUERY} lang:en`, `${E2E_QUERY} -lang:en`];
const spec = specResources("faults-twitter-kafka-group", true);

/** The partition kafkajs's default (Java-compatible) partitioner gives a key. */
function partitionOf(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, i) => ({ partitionId: i, leader: 0 }));
  const args = { topic: "t", partitionMetadata, message: { key: Buffer.from(key), value: null } };
  return Partitioners.DefaultPartitioner()(args as unknown as Parameters<ReturnType<ICustomPartitioner>>[0]);
}

test(
  "two replicas, a third joining and leaving every few seconds: the union of their files is exact",
  { timeout: 300_000 },
  async () => {
    const keyPartitions = QUERIES.map((q) => partitionOf(q, PARTITIONS));
    assert.notEqual(keyPartitions[0], keyPartitions[1], "the two queries' messages go to two partitions");
    await withRun(61, 40, async (sim, procs) => {
      const { brokers } = spec.broker;
      const topic = uniqueName("twitter-group");
      const group = uniqueName("twgroup");
      const base = path.join(spec.work, "twitter.h5");
      await createTopic(brokers, topic, PARTITIONS);
      const replica = (id: string) =>
        procs.track(startKafkaTwitterProcessor(brokers, topic, group, base, { ...SINK_ENV, REPLICA_ID: id }));
      const [a, b] = [replica("a"), replica("b")];
      await Promise.all([joined(a), joined(b)]);
      const producers = QUERIES.map((q, i) =>
        procs.track(
          startTwitterProducer(sim.url, "tcp://127.0.0.1:9", path.join(spec.work, `group-state-${i}.json`), {
            ...kafkaTwitterEnv(brokers, topic),
            TWITTER_QUERY: q,
          }),
        ),
      );
      let churning = true;
      const streaming = streamUntil(sim, () => !churning);
      const visits: { stayMs: number; signal: string; joined: boolean; exit: number | null }[] = [];
      try {
        await sleep(4_000);
        for (const end = Date.now() + CHURN_MS; Date.now() < end; ) {
          const c: ServiceProcess = replica("c");
          const stayMs = Math.round(2_000 + Math.random() * 3_000);
          await sleep(stayMs);
          const signal = visits.length % 3 === 2 ? "SIGKILL" : "SIGTERM";
          const exit = signal === "SIGKILL" ? await c.kill9() : await c.stop("SIGTERM");
          visits.push({ stayMs, signal, joined: logsWith(c, "joined Kafka consumer group").length > 0, exit });
          await sleep(1_000 + Math.random() * 2_000);
        }
      } finally {
        churning = false;
        await streaming;
      }
      await allMatchingServed(sim);
      for (const p of producers) await producerIdle(p);
      // No message comes any more: once a and b each closed their windows, the group's commit settles.
      const done = await outcome(
        settled(a, brokers, group, topic, 90_000).then(() => settled(b, brokers, group, topic, 30_000)),
      );
      const alive = [a, b].map((p) => p.exitCode === undefined);
      const joins = [a, b].map((p) => logsWith(p, "joined Kafka consumer group").length);
      const exits = [];
      for (const p of [...producers, a, b]) exits.push(await p.stop("SIGTERM"));
      const files = ["a", "b", "c"].map((id) => replicaStore(base, id)).filter(storeExists);
      const c = checkTwitterFiles(spec.work, "group", files, sim, { transport: "kafka" });
      const used = [...(await endOffsets(brokers, topic))].filter(([, end]) => end > 0).map(([p]) => p);
      summaryLine("replicas a+b, c joining/leaving (kafka)", {
        ...checkFacts(c),
        files: files.flatMap(storeFiles).map((f) => path.relative(spec.work, f)),
        partitionsUsed: used,
        visitsOfC: visits.length,
        killedC: visits.filter((v) => v.signal === "SIGKILL").length,
        cJoined: visits.filter((v) => v.joined).length,
        joinsOfAB: joins,
        windowsWithoutCompleteRow: c.windows_without_complete_row,
        overlappingRanges: c.overlapping_ranges,
        settled: done,
        exits,
        cStopExits: visits.filter((v) => v.signal === "SIGTERM").map((v) => v.exit),
      });

      assert.deepEqual(used.sort(), [...keyPartitions].sort(), "the stream used both partitions");
      assert.ok(visits.length >= 8, `the third replica came and went often (${visits.length})`);
      assert.deepEqual(alive, [true, true], "replicas a and b kept running");
      assert.equal(done, "ok");
      assert.deepEqual(c.problems, [], "the files together: every tweet once, merged /sentiment as computed");
      assert.equal(c.tweets, c.served);
      assert.deepEqual(exits, [0, 0, 0, 0]);
      assert.ok(
        visits.every((v) => v.signal === "SIGKILL" || v.exit === 0),
        "every SIGTERM of the third replica was a clean stop",
      );
      assert.deepEqual(c.log_problems, [], "rows carry the documented log_* columns");
    });
  },
);
