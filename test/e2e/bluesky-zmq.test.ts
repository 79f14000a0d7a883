/**
 * End to end over ZeroMQ for Bluesky: the Jetstream simulator, the real
 * bluesky-producer and twitter-processor as separate processes, through a
 * dropped connection and a producer restart, and through a kill -9;
 * Debian's h5py reads the file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { requirePythonModule } from "../support/python.js";
import { startJetstreamSimulator } from "@cryptostream/jetstream-simulator/simulator";
import { freePort, type ServiceProcess, sleep, waitFor } from "../support/service-process.js";
import {
  deleteOutcomes,
  expectedPosts,
  publishedAll,
  runScenario,
  startBlueskyProducer,
} from "../support/bluesky-e2e.js";
import { startTwitterProcessor } from "../support/twitter-e2e.js";
import { checkServedFile } from "../support/twitter-kafka.js";

let dir: string;
before(() => {
  requirePythonModule("h5py", "python3-h5py");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-bluesky-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(
  "every matching post lands once with its exact text, across a dropped connection, a producer restart and a processor restart",
  { timeout: 150_000 },
  async () => {
    const port = await freePort();
    const r = await runScenario({
      dir,
      name: "zmq",
      seed: 17,
      transportEnv: {},
      endpoint: `tcp://127.0.0.1:${port}`,
      processorReady: (p) => p.healthPort(),
    });
    assert.ok(r.cursors.length >= 3 && r.cursors.slice(1).every((c) => c !== null), "reconnects asked for a cursor");
    assert.ok(r.check.heap_rows >= 3, `long, ZWJ and NUL texts went through the overflow heap (${r.check.heap_rows})`);
    assert.ok(r.check.multibyte_texts >= 5, `multi-byte texts (${r.check.multibyte_texts})`);
    // How many 10 s windows a ~6 s run spans depends on the clock: at least one (runScenario
    // checks that the windows count every on-time post).
    assert.ok(r.check.on_time > 0 && r.check.sentiment_by_source.bluesky!.windows >= 1, "windows were written");
    console.log(`# bluesky zmq run: ${JSON.stringify({ ...r, check: { ...r.check, problems: undefined } })}`);
  },
);

test(
  "a producer killed with -9 and restarted from an older cursor sends posts and deletes again; the processor stores each post once and applies each delete once",
  { timeout: 120_000 },
  async () => {
    const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 0, seed: 29 });
    const endpoint = `tcp://127.0.0.1:${await freePort()}`;
    const h5 = path.join(dir, "kill9.h5");
    const state = path.join(dir, "kill9-state.json");
    const procs: ServiceProcess[] = [];
    const track = (p: ServiceProcess) => (procs.push(p), p);
    const steps = async (n: number) => {
      for (let i = 0; i < n; i++) {
        sim.generate(25);
        await sleep(100);
      }
    };
    try {
      const processor = track(startTwitterProcessor(endpoint, h5));
      await processor.healthPort();
      const first = track(startBlueskyProducer(sim.url, endpoint, state, {}, true));
      await first.waitForLog((l) => l.msg === "connected");
      await steps(4);
      await waitFor("a stored cursor", () => fs.existsSync(state) || undefined, 10_000);
      const early = fs.readFileSync(state);
      await steps(4);
      // Deletes after the stored cursor: published now, and again by the replay from that cursor.
      const recent = sim
        .events()
        .filter((e) => e.kind === "post" && e.crypto === true && e.frame.kind === "commit")
        .slice(-3);
      for (const e of recent)
        sim.deletePost({ did: e.frame.did, rkey: (e.frame as { commit: { rkey: string } }).commit.rkey });
      await publishedAll(sim, first);
      // Mid-stream, posts waiting and a publish possibly in flight.
      sim.generate(40);
      await first.kill9();
      // As if the last state writes had not reached the disk: the next start replays from further back.
      fs.writeFileSync(state, early);
      await steps(4);
      const second = track(startBlueskyProducer(sim.url, endpoint, state));
      await second.waitForLog((l) => l.msg === "resuming from the stored cursor");
      await steps(4);
      await publishedAll(sim, second);
      assert.equal(await second.stop("SIGTERM"), 0);
      let last = -1;
      await waitFor(
        "the processor to take every message",
        async () => {
          const n = await processor.metric("pipeline_messages_in_total");
          const settled = n === last;
          last = n;
          return settled ? true : undefined;
        },
        20_000,
        1000,
      );
      const dupes = await processor.metric("pipeline_rejects_total", 'reason="duplicate"');
      assert.ok(dupes > 0, "the replay from the older cursor sent posts again; the processor skipped them");
      const outcomes = await deleteOutcomes(processor);
      assert.ok(outcomes.repeat! > 0, "the replay sent deletes again; the processor took them as recorded");
      assert.equal(await processor.metric("pipeline_rejects_total", 'reason="no_data"'), 0);
      assert.equal(await processor.stop("SIGTERM"), 0);
      const { matching, deleted } = expectedPosts(sim);
      const c = checkServedFile(dir, h5, matching, "kill9", deleted);
      assert.equal(c.tweets, matching.length);
      assert.equal(c.deleted_blank, deleted.length);
      assert.equal(c.deletes_rows, deleted.length);
      assert.equal(outcomes.pending! + outcomes.stored!, deleted.length, "each delete applied once");
      console.log(
        `# bluesky kill -9 run: ${JSON.stringify({ posts: matching.length, deleted: deleted.length, processorSkippedDuplicates: dupes, deleteOutcomes: outcomes })}`,
      );
    } finally {
      for (const p of procs) await p.stop("SIGKILL");
      await sim.stop();
    }
  },
);
