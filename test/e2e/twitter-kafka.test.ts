/**
 * End to end over Kafka for the Twitter stream: the Twitter API simulator, the
 * real twitter-producer and twitter-processor as separate processes with
 * TRANSPORT=kafka against a real Apache Kafka broker (one for this file, on
 * loopback), and Debian's Python as the independent reader (h5py for the
 * file, pickle for the messages the topic holds).
 *
 * Each test uses its own topic and consumer groups; KAFKA_BROKERS, when set,
 * names the broker to use instead of starting one.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTwitterSimulator, type RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { requirePythonModule, runPython } from "../support/python.js";
import { ROOT, type ServiceProcess, waitFor } from "../support/service-process.js";
import { startRecordingProxy } from "../support/twitter-recording-proxy.js";
import { addAwkwardTweets, AWKWARD_TEXTS, E2E_QUERY, firstPollPublished } from "../support/twitter-e2e.js";
import { startTestBroker, type TestBroker } from "../support/kafka-broker.js";
import { committedTotal, readTopic, uniqueName } from "../support/kafka-admin.js";
import { compareFiles } from "../support/kafka-compare.js";
import {
  allMatchingServed,
  checkTwitterFile,
  feed,
  processorWrote,
  rejectCounts,
  settled,
  startKafkaTwitterProcessor,
  startKafkaTwitterProducer,
} from "../support/twitter-kafka.js";

let dir: string;
let broker: TestBroker;
before(async () => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-twitter-kafka-"));
  const t0 = Date.now();
  broker = await startTestBroker("twitter");
  console.log(`# Kafka broker ${broker.brokers} ready in ${Date.now() - t0} ms`);
});
after(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const joined = (p: ServiceProcess, timeoutMs = 30_000) =>
  p.waitForLog((l) => l.msg === "joined Kafka consumer group", timeoutMs);

/** Runs `body` with a fresh simulator, topic and group; stops everything it tracked at the end. */
async function withRun(
  seed: number,
  initialTweets: number,
  body: (ctx: {
    sim: RunningTwitterSimulator;
    topic: string;
    group: string;
    track: (p: ServiceProcess) => ServiceProcess;
  }) => Promise<void>,
): Promise<void> {
  const sim = await startTwitterSimulator({ port: 0, seed, initialTweets, tweetsPerSecond: 0 });
  const procs: ServiceProcess[] = [];
  const topic = uniqueName("twitter");
  try {
    await body({
      sim,
      topic,
      group: uniqueName("twproc"),
      track: (p) => (procs.push(p), p),
    });
  } finally {
    for (const p of procs) await p.stop("SIGKILL");
    await sim.stop();
  }
}

test(
  "every served tweet lands exactly once with its exact text, through 429 and 503 periods (Kafka)",
  { timeout: 120_000 },
  () =>
    withRun(21, 120, async ({ sim, topic, group, track }) => {
      const h5 = path.join(dir, "faults.h5");
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(0, 5));
      const processor = track(startKafkaTwitterProcessor(broker.brokers, topic, group, h5));
      await joined(processor);
      const producer = track(
        startKafkaTwitterProducer(sim.url, broker.brokers, topic, path.join(dir, "faults-state.json")),
      );
      // Its first poll takes only the newest page (no since_id yet): it must come before the faults and the
      // new tweets, or a slow start (a busy machine) leaves the backlog's older matches unserved.
      await firstPollPublished(producer);
      await feed(sim, 24, (step) => {
        if (step === 3) sim.injectFaults({ status: 429, count: 3, resetInSeconds: 1 });
        if (step === 10) sim.injectFaults({ status: 503, count: 4 });
        if (step === 14) addAwkwardTweets(sim, AWKWARD_TEXTS.slice(5));
      });
      await allMatchingServed(sim);
      const served = sim.served().length;
      await processorWrote(processor, served);
      await settled(processor, broker.brokers, group, topic);
      const byStatus = sim.stats(false).requests.byStatus;
      assert.ok(
        (byStatus["429"] ?? 0) >= 3 && (byStatus["503"] ?? 0) >= 4,
        `faults were served: ${JSON.stringify(byStatus)}`,
      );
      assert.equal((await processor.health()).status, 200);
      const late = await processor.metric("pipeline_rejects_total", 'reason="late_for_window"');
      const dupes = await processor.metric("pipeline_rejects_total", 'reason="duplicate"');
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await processor.stop("SIGTERM"), 0);
      assert.deepEqual(processor.stdoutNoise, [], "nothing but JSON logs on stdout");
      const c = checkTwitterFile(dir, h5, sim, "faults");
      assert.equal(c.tweets, served);
      assert.equal(c.sentiment_total, c.on_time, "/sentiment counts sum to the on-time tweets");
      assert.equal(c.late, late, "late tweets are exactly the late_for_window rejects");
      assert.equal(dupes, 0);
      assert.ok(c.heap_rows >= 4, `long, ZWJ and NUL texts went through the overflow heap (${c.heap_rows})`);
      assert.ok(c.multibyte_texts >= 10, `multi-byte texts were served (${c.multibyte_texts})`);
      assert.equal(c.incomplete_rows, 0, "under Kafka a stop writes no partial window (none was open anyway)");
      console.log(`# faults run: ${JSON.stringify({ ...c, problems: undefined, byStatus })}`);
    }),
);

test(
  "the topic holds exactly the responses the API sent, in order, as Python's pickle reads them (Kafka)",
  { timeout: 90_000 },
  () =>
    withRun(5, 60, async ({ sim, topic, track }) => {
      const proxy = await startRecordingProxy(sim.url);
      try {
        addAwkwardTweets(sim);
        const producer = track(
          startKafkaTwitterProducer(proxy.url, broker.brokers, topic, path.join(dir, "wire-state.json")),
        );
        await feed(sim, 8, (step) => {
          if (step === 4) sim.injectFaults({ status: 503, count: 2 });
        });
        await allMatchingServed(sim);
        const nonEmpty = () =>
          proxy.bodies.filter((b) => (JSON.parse(b) as { meta: { result_count: number } }).meta.result_count > 0);
        await waitFor(
          "the producer to publish every non-empty response",
          async () => ((await producer.metric("pipeline_messages_out_total")) >= nonEmpty().length ? true : undefined),
          20_000,
        );
        assert.equal(await producer.stop("SIGTERM"), 0);
        const messages = await readTopic(broker.brokers, topic);
        // Keyed by the query, every response of the stream lands on one partition: one total order.
        assert.deepEqual(
          [...new Set(messages.map((m) => m.key))],
          [E2E_QUERY],
          "every message is keyed by the search query",
        );
        assert.equal(new Set(messages.map((m) => m.partition)).size, 1, "so they share one partition, in order");
        const bodies = nonEmpty();
        const msgPath = path.join(dir, "wire-messages.json");
        const bodyPath = path.join(dir, "wire-bodies.json");
        fs.writeFileSync(msgPath, JSON.stringify(messages.map((m) => m.value.toString("base64"))));
        fs.writeFileSync(bodyPath, JSON.stringify(bodies));
        const r = runPython([
          path.join(ROOT, "test/support/twitter_wire.py"),
          "compare",
          "--messages",
          msgPath,
          "--bodies",
          bodyPath,
        ]);
        assert.equal(r.stderr.trim(), "");
        const out = JSON.parse(r.stdout) as { messages: number; tweets: number; problems: string[] };
        assert.deepEqual(out.problems, []);
        assert.equal(r.status, 0);
        assert.equal(messages.length, nonEmpty().length, "one message per non-empty response, none twice");
        assert.ok(out.messages >= 3, `several responses compared (${out.messages})`);
        assert.equal(out.tweets, sim.served().length, "every served tweet was in a message");
        console.log(`# wire run: ${JSON.stringify({ ...out, partition: messages[0]?.partition })}`);
      } finally {
        await proxy.stop();
      }
    }),
);

test(
  "restarting the processor mid-stream and replaying from an old since_id loses nothing and duplicates nothing (Kafka)",
  { timeout: 150_000 },
  () =>
    withRun(9, 80, async ({ sim, topic, group, track }) => {
      const h5 = path.join(dir, "restart.h5");
      const state = path.join(dir, "restart-state.json");
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(0, 3));
      const first = track(startKafkaTwitterProcessor(broker.brokers, topic, group, h5));
      await joined(first);
      let producer = track(startKafkaTwitterProducer(sim.url, broker.brokers, topic, state));
      await waitFor("the producer to save a since_id", () => fs.existsSync(state) || undefined, 15_000);
      const earlyState = fs.readFileSync(state);
      await feed(sim, 5);
      await allMatchingServed(sim);
      await processorWrote(first, sim.served().length);
      assert.equal(await first.stop("SIGTERM"), 0);

      // The stream goes on while no processor runs: Kafka keeps it for the next one.
      await feed(sim, 5);
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(3));
      const second = track(startKafkaTwitterProcessor(broker.brokers, topic, group, h5));
      const loaded = await second.waitForLog((l) => l.msg === "stored tweet ids loaded for dedupe");
      const stored = loaded.storedRows as number;
      assert.ok(stored > 0);
      await allMatchingServed(sim);
      await processorWrote(second, sim.served().length - stored);

      // A producer restarted from an old since_id re-publishes what is already stored.
      assert.equal(await producer.stop("SIGTERM"), 0);
      fs.writeFileSync(state, earlyState);
      producer = track(startKafkaTwitterProducer(sim.url, broker.brokers, topic, state));
      await feed(sim, 3);
      await allMatchingServed(sim);
      await waitFor(
        "the replayed tweets to be rejected as duplicates",
        async () => ((await second.metric("pipeline_rejects_total", 'reason="duplicate"')) > 0 ? true : undefined),
        20_000,
      );
      await processorWrote(second, sim.served().length - stored);
      await settled(second, broker.brokers, group, topic);
      const dupes = await second.metric("pipeline_rejects_total", 'reason="duplicate"');
      console.log(`# restart: second processor ${JSON.stringify({ stored, rejects: await rejectCounts(second) })}`);
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await second.stop("SIGTERM"), 0);
      const c = checkTwitterFile(dir, h5, sim, "restart");
      assert.equal(c.tweets, sim.served().length);
      assert.equal(c.sentiment_total, c.on_time);
      console.log(`# restart run: ${JSON.stringify({ ...c, problems: undefined, duplicatesSkipped: dupes })}`);
    }),
);

test(
  "kill -9 of the twitter-processor mid-stream, then a restart: every tweet once, /sentiment as an uninterrupted run",
  { timeout: 180_000 },
  () =>
    withRun(33, 40, async ({ sim, topic, group, track }) => {
      const h5 = path.join(dir, "crash.h5");
      const controlH5 = path.join(dir, "crash-control.h5");
      const controlGroup = uniqueName("twcontrol");
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(0, 4));
      // The control reads the same topic in its own group and is never interrupted.
      const control = track(startKafkaTwitterProcessor(broker.brokers, topic, controlGroup, controlH5));
      const first = track(startKafkaTwitterProcessor(broker.brokers, topic, group, h5));
      await Promise.all([joined(control), joined(first)]);
      const producer = track(
        startKafkaTwitterProducer(sim.url, broker.brokers, topic, path.join(dir, "crash-state.json")),
      );
      let second: ServiceProcess | undefined;
      let writtenAtKill = 0;
      let committedAtKill = 0;
      // About 40 s of stream (a window is 10 s): the kill lands after some windows closed.
      await feed(sim, 110, async (step) => {
        if (step === 40) {
          await waitFor(
            "a first commit",
            async () => ((await committedTotal(broker.brokers, group, topic)) > 0 ? true : undefined),
            15_000,
          );
          writtenAtKill = await first.metric("pipeline_messages_out_total");
          await first.kill9();
          committedAtKill = await committedTotal(broker.brokers, group, topic);
          second = track(startKafkaTwitterProcessor(broker.brokers, topic, group, h5));
        }
      });
      assert.ok(second, "the processor was restarted");
      await allMatchingServed(sim);
      // The dead member's session (30 s) must expire before its partitions move to the new one.
      await settled(second, broker.brokers, group, topic, 90_000);
      await settled(control, broker.brokers, controlGroup, topic);
      const dupes = await second.metric("pipeline_rejects_total", 'reason="duplicate"');
      const secondIn = await second.metric("pipeline_messages_in_total");
      console.log(
        `# crash: ${JSON.stringify({
          writtenAtKill,
          committedAtKill,
          secondIn,
          second: await rejectCounts(second),
          control: await rejectCounts(control),
        })}`,
      );
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await second.stop("SIGTERM"), 0);
      assert.equal(await control.stop("SIGTERM"), 0);
      const c = checkTwitterFile(dir, h5, sim, "crash");
      const cc = checkTwitterFile(dir, controlH5, sim, "crash-control");
      assert.equal(c.tweets, sim.served().length);
      assert.equal(cc.tweets, sim.served().length);
      assert.equal(c.incomplete_rows, 0, "no partial window rows");
      const same = compareFiles(controlH5, h5, ["/sentiment"]);
      assert.equal(same.stderr.trim(), "");
      assert.deepEqual(same.summary.problems, [], JSON.stringify(same.summary));
      assert.equal(same.status, 0);
      assert.ok(same.summary.rows_compared >= 3, `sentiment windows were compared (${same.summary.rows_compared})`);
      console.log(
        `# crash run: ${JSON.stringify({
          writtenAtKill,
          committedAtKill,
          messagesReadAfterRestart: secondIn,
          duplicatesSkipped: dupes,
          sentimentRowsCompared: same.summary.rows_compared,
          check: { ...c, problems: undefined },
        })}`,
      );
    }),
);
