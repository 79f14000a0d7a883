/**
 * End to end over Kafka: the Binance simulator replays a fixed file, the real
 * producer and processor run as separate processes with TRANSPORT=kafka
 * against a real Apache Kafka broker (one for this file, on loopback), and
 * Debian's h5py checks the HDF5 files: the independent reference
 * (reference_binance.py) and, for restarts, a row-by-row comparison with an
 * uninterrupted run (kafka_compare_h5.py).
 *
 * Each test uses its own topic and consumer groups. With KAFKA_BROKERS set,
 * that broker is used and the broker-restart test is skipped (it would
 * restart someone else's broker).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { requirePythonModule } from "../support/python.js";
import { ServiceProcess, sleep, waitFor } from "../support/service-process.js";
import { skippedForExternalBroker, startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { compareFiles } from "../support/kafka-compare.js";
import { replicaStore, storeExists, unsuffixedFiles } from "../support/store.js";
import { committedTotal, createTopic, groupCaughtUp, messageCount, uniqueName } from "../support/kafka-admin.js";
import {
  assignedPartitions,
  LATENESS_SECONDS,
  runReference,
  startKafkaProcessor,
  startKafkaProducer,
  SYMBOLS,
  WINDOW_SECONDS,
  writeFixture,
} from "../support/binance-kafka.js";

const EVENTS = 3_000;

let dir: string;
let broker: TestBroker;
before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-binance-kafka-"));
  const t0 = Date.now();
  broker = await startTestBroker("binance");
  console.log(`# Kafka broker ${broker.brokers} ready in ${Date.now() - t0} ms (restartable: ${broker.restartable})`);
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything a test started, stopped hard at the end whatever happened. */
class Stack {
  private readonly procs: ServiceProcess[] = [];
  private readonly sims: BinanceSimulator[] = [];
  proc(p: ServiceProcess): ServiceProcess {
    this.procs.push(p);
    return p;
  }
  async sim(options: Partial<Parameters<typeof startBinanceSimulator>[0]> & { replayFile: string }) {
    const s = await startBinanceSimulator({
      port: 0,
      symbols: SYMBOLS,
      replayResume: true,
      replayRate: 4_000,
      pingIntervalMs: 1_000,
      ...options,
    });
    this.sims.push(s);
    return s;
  }
  async close(): Promise<void> {
    for (const p of this.procs) await p.stop("SIGKILL");
    for (const s of this.sims) await s.stop();
  }
}

const joined = (p: ServiceProcess, timeoutMs = 30_000) =>
  p.waitForLog((l) => l.msg === "joined Kafka consumer group", timeoutMs);

async function replayDone(sim: BinanceSimulator, timeoutMs = 60_000): Promise<void> {
  await waitFor("the simulator to send every line", () => sim.stats().replay?.finished || undefined, timeoutMs);
}

async function topicHolds(topic: string, events: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `the topic to hold ${events} events`,
    async () => ((await messageCount(broker.brokers, topic)) >= events ? true : undefined),
    timeoutMs,
    250,
  );
  assert.equal(await messageCount(broker.brokers, topic), events, "each event is in the topic exactly once");
}

/**
 * Every window closed (the wall clock closes the last ones once the stream is idle) and committed.
 * A consumer that crashed at its start (a freshly started broker answers "coordinator is loading")
 * was away: the wall clock then closes no window for SINK_TRANSPORT_HOLD_SECONDS (30 s), so the
 * wait covers that hold.
 */
async function caughtUp(group: string, topic: string, timeoutMs = 75_000): Promise<void> {
  await waitFor(
    `group ${group} to commit the whole topic`,
    async () => (await groupCaughtUp(broker.brokers, group, topic)) || undefined,
    timeoutMs,
    250,
  );
}

async function metricAtLeast(p: ServiceProcess, name: string, n: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${p.name} ${name} >= ${n}`, async () => ((await p.metric(name)) >= n ? true : undefined), timeoutMs);
}

function assertCleanReference(r: ReturnType<typeof runReference>): void {
  assert.equal(r.stderr.trim(), "", "the reference ran cleanly");
  assert.deepEqual(r.summary.problems, [], JSON.stringify(r.summary));
  assert.equal(r.status, 0);
}

test(
  "replayed ticker events become exactly the windows an independent reference computes (Kafka)",
  { timeout: 240_000 },
  async () => {
    const { input, fixture } = await writeFixture(dir, "steady", EVENTS);
    const topic = uniqueName("binance-steady");
    const group = uniqueName("proc-steady");
    const h5 = path.join(dir, "steady.h5");
    const stack = new Stack();
    try {
      const processor = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5));
      await joined(processor);
      const sim = await stack.sim({ replayFile: input });
      const producer = stack.proc(startKafkaProducer(sim.url, broker.brokers, topic));
      await replayDone(sim);
      await topicHolds(topic, fixture.events);
      await metricAtLeast(processor, "pipeline_messages_in_total", fixture.events);
      await caughtUp(group, topic);
      assert.equal(
        await producer.metric("pipeline_rejects_total", 'reason="malformed_frame"'),
        fixture.malformed,
        "the producer rejects each malformed line",
      );
      assert.equal(await processor.metric("pipeline_messages_in_total"), fixture.events);
      assert.equal(await processor.stop("SIGTERM"), 0);
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.deepEqual(processor.stdoutNoise, [], "nothing but JSON logs on stdout");
      const ref = runReference(input, [h5]);
      assertCleanReference(ref);
      assert.ok(ref.summary.expected_windows >= 7 * 8, `enough windows: ${JSON.stringify(ref.summary)}`);
      assert.ok(ref.summary.late > 0, "the input holds late events, dropped as the reference drops them");
      assert.equal(ref.summary.rows, ref.summary.actual_windows, "one row per window: no partial rows");
      assert.equal(ref.summary.counted_events + ref.summary.late, fixture.events);
      console.log(`# steady run: ${JSON.stringify({ ...ref.summary, problems: undefined })}`);
    } finally {
      await stack.close();
    }
  },
);

test(
  "kill -9 of the processor mid-stream, then a restart, leaves the file of an uninterrupted run",
  { timeout: 180_000 },
  async () => {
    const { input, fixture } = await writeFixture(dir, "crash", EVENTS);
    const topic = uniqueName("binance-crash");
    const group = uniqueName("proc-crash");
    const controlGroup = uniqueName("proc-control");
    const h5 = path.join(dir, "crash.h5");
    const controlH5 = path.join(dir, "crash-control.h5");
    const stack = new Stack();
    try {
      // The control reads the same topic in its own group and is never interrupted.
      // Short flushes: the first commit must come while events still flow (the default waits 5 s).
      const fast = { BINANCE_FLUSH_SECONDS: "1" };
      const control = stack.proc(startKafkaProcessor(broker.brokers, topic, controlGroup, controlH5, fast));
      const first = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, fast));
      await Promise.all([joined(control), joined(first)]);
      // Slow enough (about 6 s) to kill the processor while events flow.
      const sim = await stack.sim({ replayFile: input, replayRate: 500 });
      const producer = stack.proc(startKafkaProducer(sim.url, broker.brokers, topic));
      await metricAtLeast(first, "pipeline_messages_in_total", Math.floor(EVENTS / 3));
      await waitFor(
        "a first commit (some windows durable)",
        async () => ((await committedTotal(broker.brokers, group, topic)) > 0 ? true : undefined),
        20_000,
      );
      const inBeforeKill = await first.metric("pipeline_messages_in_total");
      await first.kill9();
      const committedAtKill = await committedTotal(broker.brokers, group, topic);
      const linesAtKill = sim.stats().replay?.cursor ?? 0;
      assert.ok(inBeforeKill < fixture.events, "the processor died with events still to read");

      const second = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, fast));
      await replayDone(sim);
      await topicHolds(topic, fixture.events);
      // The dead member's session (30 s) must expire before the group hands its partitions over.
      await caughtUp(group, topic, 90_000);
      await caughtUp(controlGroup, topic);
      const secondIn = await second.metric("pipeline_messages_in_total");
      const replayed = await second.metric("pipeline_replayed_total");
      assert.ok(
        secondIn < fixture.events,
        `the restart resumed from the committed offsets, not the beginning (${secondIn} read)`,
      );
      assert.ok(secondIn >= fixture.events - committedAtKill, "it read everything after the commit point");
      assert.equal(await second.stop("SIGTERM"), 0);
      assert.equal(await control.stop("SIGTERM"), 0);
      assert.equal(await producer.stop("SIGTERM"), 0);

      const same = compareFiles(controlH5, h5);
      assert.equal(same.stderr.trim(), "");
      assert.deepEqual(same.summary.problems, [], JSON.stringify(same.summary));
      assert.equal(same.status, 0);
      assert.ok(same.summary.rows_compared >= 7 * 8, `rows were compared: ${JSON.stringify(same.summary)}`);
      const ref = runReference(input, [h5]);
      assertCleanReference(ref);
      assert.equal(ref.summary.rows, ref.summary.actual_windows, "no partial rows");
      console.log(
        `# crash run: ${JSON.stringify({
          inBeforeKill,
          linesAtKill,
          committedAtKill,
          readAfterRestart: secondIn,
          replayedSkipped: replayed,
          rowsCompared: same.summary.rows_compared,
          reference: { ...ref.summary, problems: undefined },
        })}`,
      );
    } finally {
      await stack.close();
    }
  },
);

test(
  "a broker stopped and restarted mid-stream loses nothing: producers retry, every event is counted",
  { timeout: 180_000 },
  async (t) => {
    if (skippedForExternalBroker(t, broker)) return;
    // Event times a day ahead of the clock: windows then close only by event time, so
    // the processor's idle time during the outage (wall-clock closing) changes nothing,
    // and the reference's rules apply exactly. The last windows stay open (--closed-only).
    const dayAhead = Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000;
    const { input, fixture } = await writeFixture(dir, "outage", EVENTS, dayAhead);
    const topic = uniqueName("binance-outage");
    const group = uniqueName("proc-outage");
    const h5 = path.join(dir, "outage.h5");
    const stack = new Stack();
    try {
      const processor = stack.proc(
        startKafkaProcessor(broker.brokers, topic, group, h5, { MAX_FUTURE_SKEW_SECONDS: String(3 * 86_400) }),
      );
      await joined(processor);
      const sim = await stack.sim({ replayFile: input, replayRate: 300 });
      const producer = stack.proc(startKafkaProducer(sim.url, broker.brokers, topic));
      await metricAtLeast(processor, "pipeline_messages_in_total", 400);
      const t0 = Date.now();
      await broker.stopForRestart();
      const publishedAtStop = await producer.metric("pipeline_messages_out_total");
      const linesAtStop = sim.stats().replay?.cursor ?? 0;
      await sleep(2_000); // down a while longer than the restart alone: the producer keeps receiving
      await broker.start();
      const outageMs = Date.now() - t0;
      const linesAtRestart = sim.stats().replay?.cursor ?? 0;
      assert.ok(linesAtRestart > linesAtStop, "the simulator kept sending while the broker was down");
      await replayDone(sim);
      await topicHolds(topic, fixture.events, 90_000);
      await metricAtLeast(processor, "pipeline_messages_in_total", fixture.events, 60_000);
      // Windows close in the batch that closes them; give the last batch time to be written.
      let last = -1;
      await waitFor(
        "the processor's rows to settle",
        async () => {
          const n = await processor.metric("pipeline_messages_out_total");
          const settled = n === last;
          last = n;
          return settled || undefined;
        },
        20_000,
        1_500,
      );
      const processorIn = await processor.metric("pipeline_messages_in_total");
      const publishRetries = producer.logs.filter((l) => l.msg === "publish failed; retrying").length;
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await processor.stop("SIGTERM"), 0);
      const ref = runReference(input, [h5], ["--closed-only"]);
      assertCleanReference(ref);
      const s = ref.summary;
      assert.equal(
        s.counted_events + s.late + (s.open_events ?? 0),
        fixture.events,
        `every replayed event is in a row, late, or in a window still open: ${JSON.stringify(s)}`,
      );
      assert.ok((s.open_windows ?? 0) >= SYMBOLS.length, "each symbol's last window is still open");
      assert.ok(s.expected_windows >= 7 * 8, `enough windows: ${JSON.stringify(s)}`);
      console.log(
        `# outage run: ${JSON.stringify({
          outageMs,
          brokerStartMs: broker.startMs(),
          publishedAtStop,
          linesAtStop,
          linesAtRestart,
          publishRetries,
          processorIn,
          reference: { ...s, problems: undefined },
        })}`,
      );
    } finally {
      await stack.close();
    }
  },
);

test(
  "two processors in one group split the partitions; the union of their files is the single-processor result",
  { timeout: 240_000 },
  async () => {
    const { input, fixture } = await writeFixture(dir, "group", EVENTS);
    const topic = uniqueName("binance-group");
    const group = uniqueName("proc-group");
    const h5 = path.join(dir, "group.h5");
    const partitions = 4;
    const stack = new Stack();
    try {
      await createTopic(broker.brokers, topic, partitions);
      const a = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, { REPLICA_ID: "a" }));
      const b = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, { REPLICA_ID: "b" }));
      // Both members hold partitions before anything is published: no rebalance mid-stream.
      await waitFor(
        "the group to split the partitions between both processors",
        () => {
          const pa = assignedPartitions(a, topic);
          const pb = assignedPartitions(b, topic);
          if (!pa || !pb || pa.length === 0 || pb.length === 0) return undefined;
          const all = new Set([...pa, ...pb]);
          return all.size === partitions && pa.length + pb.length === partitions ? true : undefined;
        },
        90_000,
        200,
      );
      const sim = await stack.sim({ replayFile: input });
      const producer = stack.proc(startKafkaProducer(sim.url, broker.brokers, topic));
      await replayDone(sim);
      await topicHolds(topic, fixture.events);
      await caughtUp(group, topic);
      const inA = await a.metric("pipeline_messages_in_total");
      const inB = await b.metric("pipeline_messages_in_total");
      assert.equal(inA + inB, fixture.events, "each event was read by exactly one of them");
      assert.ok(inA > 0 && inB > 0, `both processors had work (${inA}, ${inB})`);
      assert.equal(await a.stop("SIGTERM"), 0);
      assert.equal(await b.stop("SIGTERM"), 0);
      assert.equal(await producer.stop("SIGTERM"), 0);
      const files = ["a", "b"].map((id) => replicaStore(h5, id));
      for (const f of files) assert.ok(storeExists(f), `${path.basename(f)} was written (REPLICA_ID)`);
      assert.deepEqual(unsuffixedFiles(h5), [], "no replica wrote the unsuffixed path");
      const ref = runReference(input, files);
      assertCleanReference(ref);
      assert.equal(ref.summary.files, 2);
      assert.equal(ref.summary.counted_events + ref.summary.late, fixture.events);
      assert.ok(ref.summary.expected_windows >= 7 * 8);
      console.log(
        `# group run: ${JSON.stringify({
          partitions,
          assignment: { a: assignedPartitions(a, topic), b: assignedPartitions(b, topic) },
          eventsRead: { a: inA, b: inB },
          windowSeconds: WINDOW_SECONDS,
          reference: { ...ref.summary, problems: undefined },
        })}`,
      );
    } finally {
      await stack.close();
    }
  },
);

test(
  "a second processor joining mid-stream takes partitions over: partial rows merge to the single-processor result",
  { timeout: 150_000 },
  async () => {
    // No event beyond the lateness: the new owner of a partition cannot know the old owner's
    // watermark, so whether an event is late would depend on where the rebalance falls (when its
    // first event of a symbol is a late one, it counts it; a single processor would not).
    const { input, fixture } = await writeFixture(dir, "rebalance", EVENTS, undefined, LATENESS_SECONDS * 1000 - 500);
    const topic = uniqueName("binance-rebalance");
    const group = uniqueName("proc-rebalance");
    const h5 = path.join(dir, "rebalance.h5");
    const partitions = 4;
    const stack = new Stack();
    try {
      await createTopic(broker.brokers, topic, partitions);
      const a = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, { REPLICA_ID: "a" }));
      await joined(a);
      // About 25 s of stream: the new member's start and the group's rebalance fit inside it even on a
      // busy machine (at 250 lines/s, 12 s, the stream once ended first when two runs shared the machine).
      const sim = await stack.sim({ replayFile: input, replayRate: 120 });
      const producer = stack.proc(startKafkaProducer(sim.url, broker.brokers, topic));
      await metricAtLeast(a, "pipeline_messages_in_total", Math.floor(EVENTS / 6));
      const b = stack.proc(startKafkaProcessor(broker.brokers, topic, group, h5, { REPLICA_ID: "b" }));
      await waitFor(
        "the group to give the new member partitions",
        () => ((assignedPartitions(b, topic)?.length ?? 0) > 0 ? true : undefined),
        90_000,
        200,
      );
      const linesAtRebalance = sim.stats().replay?.cursor ?? 0;
      assert.ok(!sim.stats().replay?.finished, "the rebalance happened while events were flowing");
      await replayDone(sim);
      await topicHolds(topic, fixture.events);
      await caughtUp(group, topic, 60_000);
      const eventsRead = {
        a: await a.metric("pipeline_messages_in_total"),
        b: await b.metric("pipeline_messages_in_total"),
      };
      assert.equal(await a.stop("SIGTERM"), 0);
      assert.equal(await b.stop("SIGTERM"), 0);
      assert.equal(await producer.stop("SIGTERM"), 0);
      const files = ["a", "b"].map((id) => replicaStore(h5, id)).filter(storeExists);
      const ref = runReference(input, files);
      assertCleanReference(ref);
      assert.equal(ref.summary.counted_events + ref.summary.late, fixture.events);
      assert.ok(
        ref.summary.rows > ref.summary.actual_windows,
        `windows open at the rebalance were written as partial rows and merged: ${JSON.stringify(ref.summary)}`,
      );
      console.log(
        `# rebalance run: ${JSON.stringify({
          assignment: { a: assignedPartitions(a, topic), b: assignedPartitions(b, topic) },
          linesAtRebalance,
          eventsRead,
          reference: { ...ref.summary, problems: undefined },
        })}`,
      );
    } finally {
      await stack.close();
    }
  },
);
