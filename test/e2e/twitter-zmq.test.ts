/**
 * End to end over ZeroMQ for the Twitter stream: the Twitter API simulator,
 * the real twitter-producer and twitter-processor as separate processes, and
 * Debian's Python as the independent reader (h5py for the HDF5 file, pickle
 * and pyzmq for the wire).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTwitterSimulator, type RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { PYTHON, requirePythonModule, runPython } from "../support/python.js";
import { freePort, ROOT, type ServiceProcess, sleep, waitFor } from "../support/service-process.js";
import { startRecordingProxy } from "../support/twitter-recording-proxy.js";
import {
  addAwkwardTweets,
  allMatchingServed,
  AWKWARD_TEXTS,
  firstPollPublished,
  processorWrote,
  startTwitterProcessor,
  startTwitterProducer,
} from "../support/twitter-e2e.js";

const WINDOW_MS = 10_000;

let dir: string;
before(() => {
  requirePythonModule("h5py", "python3-h5py");
  requirePythonModule("zmq", "python3-zmq");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-twitter-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Check {
  tweets: number;
  served: number;
  on_time: number;
  late: number;
  sentiment_total: number;
  incomplete_rows: number;
  heap_rows: number;
  multibyte_texts: number;
  problems: string[];
}

function checkFile(h5: string, sim: RunningTwitterSimulator, name: string): Check {
  const servedPath = path.join(dir, `${name}-served.json`);
  fs.writeFileSync(servedPath, JSON.stringify(sim.served()));
  const r = runPython([
    path.join(ROOT, "test/support/check_twitter.py"),
    "--h5",
    h5,
    "--served",
    servedPath,
    "--window-ms",
    String(WINDOW_MS),
  ]);
  assert.equal(r.stderr.trim(), "", "the check ran cleanly");
  const out = JSON.parse(r.stdout) as Check;
  assert.deepEqual(out.problems, []);
  assert.equal(r.status, 0);
  return out;
}

/** Adds seeded tweets in small steps, like a live stream, running `during(step)` at each. */
async function feed(
  sim: RunningTwitterSimulator,
  steps: number,
  during: (step: number) => void | Promise<void> = () => undefined,
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    sim.generateTweets(3);
    await during(step);
    await sleep(350);
  }
}

test(
  "every served tweet lands exactly once with its exact text, through 429 and 503 periods",
  { timeout: 120_000 },
  async () => {
    const sim = await startTwitterSimulator({ port: 0, seed: 21, initialTweets: 120, tweetsPerSecond: 0 });
    const h5 = path.join(dir, "faults.h5");
    let producer: ServiceProcess | undefined;
    let processor: ServiceProcess | undefined;
    try {
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(0, 5)); // part of the backlog
      const zmqPort = await freePort();
      processor = startTwitterProcessor(`tcp://127.0.0.1:${zmqPort}`, h5);
      await processor.healthPort();
      producer = startTwitterProducer(sim.url, `tcp://127.0.0.1:${zmqPort}`, path.join(dir, "faults-state.json"));
      // Its first poll takes only the newest page (no since_id yet): it must come before the faults and the
      // new tweets, or a slow start (a busy machine) leaves the backlog's older matches unserved.
      await firstPollPublished(producer);
      await feed(sim, 24, (step) => {
        if (step === 3) sim.injectFaults({ status: 429, count: 3, resetInSeconds: 1 });
        if (step === 10) sim.injectFaults({ status: 503, count: 4 });
        if (step === 14) addAwkwardTweets(sim, AWKWARD_TEXTS.slice(5));
      });
      await allMatchingServed(sim);
      await processorWrote(processor, sim.served().length);
      const byStatus = sim.stats(false).requests.byStatus;
      assert.ok(
        (byStatus["429"] ?? 0) >= 3 && (byStatus["503"] ?? 0) >= 4,
        `faults were served: ${JSON.stringify(byStatus)}`,
      );
      assert.equal((await processor.health()).status, 200);
      // One more tweet just before the stop: the wall clock closes a window only after 2 s
      // without tweets, so its window is surely open when the stop comes and must be written
      // as incomplete (however slow the machine was before).
      const last = sim.addTweet({ text: "bitcoin at the stop", lang: "en" });
      await allMatchingServed(sim);
      const lastAt = Date.parse(last.created_at) / 1000;
      await waitFor("the processor to take the last tweet", async () =>
        (await processor!.metric("pipeline_last_event_time_seconds")) >= lastAt ? true : undefined,
      );
      const served = sim.served().length;
      const late = await processor.metric("pipeline_rejects_total", 'reason="late_for_window"');
      const dupes = await processor.metric("pipeline_rejects_total", 'reason="duplicate"');
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await processor.stop("SIGTERM"), 0);
      assert.deepEqual(processor.stdoutNoise, [], "nothing but JSON logs on stdout");
      const c = checkFile(h5, sim, "faults");
      assert.equal(c.tweets, served);
      assert.equal(c.sentiment_total, c.on_time, "/sentiment counts sum to the on-time tweets");
      assert.equal(c.late, late, "late tweets are exactly the late_for_window rejects");
      assert.equal(dupes, 0);
      assert.ok(c.heap_rows >= 4, `long, ZWJ and NUL texts went through the overflow heap (${c.heap_rows})`);
      assert.ok(c.multibyte_texts >= 10, `multi-byte texts were served (${c.multibyte_texts})`);
      assert.ok(c.incomplete_rows >= 1, "the window open at stop was written as incomplete");
      console.log(`# faults run: ${JSON.stringify({ ...c, problems: undefined, byStatus })}`);
    } finally {
      await producer?.stop("SIGKILL");
      await processor?.stop("SIGKILL");
      await sim.stop();
    }
  },
);

test("a Python PULL consumer unpickles exactly the responses the API sent", { timeout: 90_000 }, async () => {
  const sim = await startTwitterSimulator({ port: 0, seed: 5, initialTweets: 60, tweetsPerSecond: 0 });
  const proxy = await startRecordingProxy(sim.url);
  const zmqPort = await freePort();
  const lines: string[] = [];
  const py = spawn(
    PYTHON,
    [path.join(ROOT, "test/support/twitter_wire.py"), "consume", "--endpoint", `tcp://127.0.0.1:${zmqPort}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let pyErr = "";
  py.stderr.setEncoding("utf8").on("data", (c: string) => (pyErr += c));
  let buf = "";
  py.stdout.setEncoding("utf8").on("data", (c: string) => {
    buf += c;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  const pyExit = new Promise<number | null>((resolve) => py.on("exit", (code) => resolve(code)));
  let producer: ServiceProcess | undefined;
  try {
    await waitFor("the Python consumer to start", () => lines.length > 0 || undefined, 10_000);
    addAwkwardTweets(sim);
    producer = startTwitterProducer(proxy.url, `tcp://127.0.0.1:${zmqPort}`, path.join(dir, "wire-state.json"));
    await feed(sim, 8, (step) => {
      if (step === 4) sim.injectFaults({ status: 503, count: 2 });
    });
    await allMatchingServed(sim);
    const nonEmpty = () =>
      proxy.bodies.filter((b) => (JSON.parse(b) as { meta: { result_count: number } }).meta.result_count > 0);
    await waitFor(
      "Python to receive every non-empty response",
      () => lines.length - 1 >= nonEmpty().length || undefined,
      20_000,
    );
    assert.equal(await producer.stop("SIGTERM"), 0);
    py.kill("SIGTERM");
    assert.equal(await pyExit, 0, pyErr);
    const messages = lines.slice(1).map((l) => (JSON.parse(l) as { pickle_b64: string }).pickle_b64);
    const msgPath = path.join(dir, "wire-messages.json");
    const bodyPath = path.join(dir, "wire-bodies.json");
    fs.writeFileSync(msgPath, JSON.stringify(messages));
    fs.writeFileSync(bodyPath, JSON.stringify(nonEmpty()));
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
    assert.ok(out.messages >= 3, `several responses compared (${out.messages})`);
    assert.equal(out.tweets, sim.served().length, "every served tweet was in a message");
    console.log(`# wire run: ${JSON.stringify(out)}`);
  } finally {
    await producer?.stop("SIGKILL");
    py.kill("SIGKILL");
    await proxy.stop();
    await sim.stop();
  }
});

test(
  "restarting the processor mid-stream and replaying from an old since_id loses nothing and duplicates nothing",
  { timeout: 120_000 },
  async () => {
    const sim = await startTwitterSimulator({ port: 0, seed: 9, initialTweets: 80, tweetsPerSecond: 0 });
    const h5 = path.join(dir, "restart.h5");
    const state = path.join(dir, "restart-state.json");
    const zmqPort = await freePort();
    const endpoint = `tcp://127.0.0.1:${zmqPort}`;
    const procs: ServiceProcess[] = [];
    const track = (p: ServiceProcess) => (procs.push(p), p);
    try {
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(0, 3));
      const first = track(startTwitterProcessor(endpoint, h5));
      await first.healthPort();
      let producer = track(startTwitterProducer(sim.url, endpoint, state));
      await waitFor("the producer to save a since_id", () => fs.existsSync(state) || undefined, 15_000);
      const earlyState = fs.readFileSync(state);
      await feed(sim, 5);
      await allMatchingServed(sim);
      await processorWrote(first, sim.served().length);
      assert.equal(await first.stop("SIGTERM"), 0);

      // The stream goes on while no processor runs: the producer's next send waits in
      // ZeroMQ (no peer), so its polling pauses until a processor connects again.
      await feed(sim, 5);
      addAwkwardTweets(sim, AWKWARD_TEXTS.slice(3));
      const second = track(startTwitterProcessor(endpoint, h5));
      const loaded = await second.waitForLog((l) => l.msg === "stored tweet ids loaded for dedupe");
      assert.ok((loaded.storedRows as number) > 0);
      await allMatchingServed(sim);
      await processorWrote(second, sim.served().length - (loaded.storedRows as number));

      // A producer restarted from an old since_id re-publishes what is already stored.
      assert.equal(await producer.stop("SIGTERM"), 0);
      fs.writeFileSync(state, earlyState);
      producer = track(startTwitterProducer(sim.url, endpoint, state));
      await feed(sim, 3);
      await allMatchingServed(sim);
      await waitFor(
        "the replayed tweets to be rejected as duplicates",
        async () => ((await second.metric("pipeline_rejects_total", 'reason="duplicate"')) > 0 ? true : undefined),
        20_000,
      );
      await processorWrote(second, sim.served().length - (loaded.storedRows as number));
      const dupes = await second.metric("pipeline_rejects_total", 'reason="duplicate"');
      assert.equal(await producer.stop("SIGTERM"), 0);
      assert.equal(await second.stop("SIGTERM"), 0);
      const c = checkFile(h5, sim, "restart");
      assert.equal(c.tweets, sim.served().length);
      assert.equal(c.sentiment_total, c.on_time);
      console.log(`# restart run: ${JSON.stringify({ ...c, problems: undefined, duplicatesSkipped: dupes })}`);
    } finally {
      for (const p of procs) await p.stop("SIGKILL");
      await sim.stop();
    }
  },
);
