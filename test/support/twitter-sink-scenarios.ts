/**
 * The sink-fault scenarios of the faults-twitter specs, the same on both
 * transports (the spec files pick the wiring): the output folder fills up
 * for 10 s, and the HDF5 file is deleted, then replaced by garbage, while the
 * twitter-processor runs. Each prints one `# ...` summary line, then asserts
 * what the documented sink behaviour says (README.md "When things fail", docs/hdf5-layout.md).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { type ServiceProcess, waitFor } from "./service-process.js";
import { isFailing, isOk, SinkHealthWatch } from "./sink-health.js";
import { allMatchingServed } from "./twitter-kafka.js";
import {
  checkFacts,
  checkTwitterFiles,
  logsWith,
  outcome,
  streamFor,
  streamUntil,
  summaryLine,
  type Wiring,
  withRun,
} from "./twitter-fault-pipeline.js";
import {
  betweenFlushes,
  damagedCopies,
  DAMAGED_NAME,
  deleteKeeping,
  garbageBytes,
  garbageKeeping,
  OutputDir,
  pidWithEnv,
} from "./twitter-faults.js";
import { activePartition, storeExists, storeFiles } from "./store.js";

const FULL_MS = 10_000;
const WRITE_FAILED = "HDF5 write failed; rows kept for retry";
const WRITES_OK = "HDF5 writes succeed again";
const MOVED_ASIDE = "output file is not readable HDF5; moved aside";
const MISSING = "output file is missing; starting a new one";

/** Starts processor and producer, streams until the first write, and hands both to `body`. */
function withPipeline(
  w: Wiring,
  seed: number,
  h5: string,
  statePath: string,
  body: (ctx: {
    sim: RunningTwitterSimulator;
    processor: ServiceProcess;
    producer: ServiceProcess;
    watch: SinkHealthWatch;
  }) => Promise<void>,
): Promise<void> {
  return withRun(seed, 60, async (sim, procs) => {
    const processor = procs.track(w.processor(h5));
    await w.ready(processor);
    const watch = new SinkHealthWatch(processor);
    try {
      const producer = procs.track(w.producer(sim.url, statePath));
      await streamFor(sim, 6_000);
      await waitFor("a first write", () => storeExists(h5) || undefined, 20_000);
      await body({ sim, processor, producer, watch });
    } finally {
      await watch.stop();
    }
  });
}

/**
 * (a) The output folder fills up for 10 s mid-stream, then space returns:
 * 503 "failing" while full, 200 "ok" after, and at the end every served tweet
 * once with its exact text and /sentiment as check_twitter.py computes it.
 */
export async function diskFillsUp(w: Wiring, work: string): Promise<void> {
  const name = `full-${w.transport}`;
  const out = new OutputDir(path.join(work, name));
  try {
    const h5 = path.join(out.dir, "twitter.h5");
    await withPipeline(
      w,
      41,
      h5,
      path.join(work, `${name}-state.json`),
      async ({ sim, processor, producer, watch }) => {
        const fullFrom = Date.now();
        const filledBytes = out.fill();
        let topUps = 0;
        await streamUntil(sim, () => ((topUps += out.topUp() > 0 ? 1 : 0), Date.now() - fullFrom >= FULL_MS));
        const fullTo = Date.now();
        const freeWhileFull = out.freeBytes();
        out.free();
        await streamFor(sim, 6_000);
        await allMatchingServed(sim);
        const drained = await outcome(w.drained(processor, producer));
        const alive = processor.exitCode === undefined;
        const flushFailures = await processor.metric("pipeline_flush_failures_total").catch(() => -1);
        await watch.stop();
        const exits = [await producer.stop("SIGTERM"), await processor.stop("SIGTERM")];
        const c = checkTwitterFiles(work, name, [h5], sim, { transport: w.transport });

        const firstFailing = watch.between(fullFrom, fullTo).find(isFailing);
        const stuckFailing = firstFailing ? watch.between(firstFailing.at, fullTo) : [];
        const recoveredMs = watch.firstAfter(fullTo, isOk);
        const failed = logsWith(processor, WRITE_FAILED);
        const recovered = logsWith(processor, WRITES_OK);
        summaryLine(`disk full 10 s (${w.transport})`, {
          how: out.how,
          ...checkFacts(c),
          filledBytes,
          topUps,
          freeWhileFull,
          samplesWhileFull: watch.between(fullFrom, fullTo).length,
          failing503Seen: watch.samples.filter(isFailing).length,
          firstFailingAfterMs: firstFailing && firstFailing.at - fullFrom,
          recoveredMs,
          statusesWhileFull: [...new Set(watch.between(fullFrom, fullTo).map((s) => `${s.status}/${s.state}`))],
          flushFailures,
          logs: { failed: failed.length, recovered: recovered.length },
          drained,
          exits,
        });

        assert.ok(alive, "the processor kept running through the full disk");
        assert.ok(
          firstFailing,
          '/healthz answered 503 with sink.state "failing", a reason and failingSince while full',
        );
        assert.ok(firstFailing.at - fullFrom < 4_000, "within a few seconds of the disk filling up");
        assert.ok((firstFailing.pendingRows ?? 0) > 0, "rows pending while failing");
        assert.deepEqual(
          stuckFailing.filter((s) => !isFailing(s)),
          [],
          "failing for as long as the disk was full",
        );
        assert.ok(recoveredMs !== undefined && recoveredMs < 8_000, `200 "ok" again soon after space returned`);
        assert.equal(drained, "ok");
        assert.deepEqual(c.problems, [], "every tweet once, exact texts, /sentiment as computed");
        assert.equal(c.tweets, c.served);
        assert.equal(failed.length, 1, `one "${WRITE_FAILED}" line`);
        assert.equal(failed[0]!.level, "error");
        assert.equal(recovered.length, 1, `one "${WRITES_OK}" line`);
        assert.ok(flushFailures > 0, "pipeline_flush_failures_total counted the failed writes");
        assert.deepEqual(exits, [0, 0]);
        assert.ok(isOk(watch.samples.at(-1)!), "healthy at the end");
        assert.deepEqual(c.log_problems, [], "rows carry the documented log_* columns");
      },
    );
  } finally {
    out.close();
  }
}

/**
 * (b) The HDF5 file is deleted while the processor runs, and later replaced
 * by garbage: the processor keeps running, starts a new file each time, sets
 * the garbage aside unchanged as `<path>.damaged-*`, and every tweet served
 * after a fault is in the files started after it, exactly once. The file is
 * the one the processor writes: the configured path (single-file layout) or
 * the newest partition file of the store folder (the other partitions, which
 * a tweet of another period may go to, are read as files written after it).
 */
export async function fileDeletedThenGarbage(w: Wiring, work: string): Promise<void> {
  const name = `file-${w.transport}`;
  const dir = path.join(work, name);
  const evidence = path.join(work, `${name}-evidence`);
  fs.mkdirSync(evidence, { recursive: true });
  const h5 = path.join(dir, "twitter.h5");
  const beforeDelete = path.join(evidence, "before-delete.h5");
  const beforeGarbage = path.join(evidence, "before-garbage.h5");
  await withPipeline(w, 43, h5, path.join(work, `${name}-state.json`), async ({ sim, processor, producer, watch }) => {
    const pid = pidWithEnv("TWITTER_H5_PATH", h5);
    const servedIds = () => new Set(sim.served().map((t) => t.id));
    const atDelete = servedIds();
    let deleted = h5;
    const deleteTries = await betweenFlushes(pid, h5, () => {
      deleted = activePartition(h5);
      deleteKeeping(deleted, beforeDelete)();
    });
    await streamFor(sim, 7_000);
    const newFileAfterDelete = fs.existsSync(deleted);

    const atGarbage = servedIds();
    const garbage = garbageBytes();
    let target = h5;
    const garbageTries = await betweenFlushes(pid, h5, () => {
      target = activePartition(h5);
      garbageKeeping(target, beforeGarbage, garbage)();
    });
    await streamFor(sim, 7_000);
    await allMatchingServed(sim);
    const drained = await outcome(w.drained(processor, producer, 30_000));
    const alive = processor.exitCode === undefined;
    await watch.stop();
    const exits = [await producer.stop("SIGTERM"), await processor.stop("SIGTERM")];

    const damaged = damagedCopies(h5);
    const damagedSame = damaged.filter((d) => fs.readFileSync(d).equals(garbage));
    const finalIsNew = fs.existsSync(target) && !fs.readFileSync(target).equals(garbage);
    // The store now: the new file at the target, and (folder layout) the other partitions.
    const now = storeFiles(h5).filter((f) => f !== target || finalIsNew);
    const files = [beforeDelete, beforeGarbage].filter((f) => fs.existsSync(f)).concat(now);
    const c = checkTwitterFiles(work, name, files, sim, { transport: w.transport, idsByFile: true, oneWriter: true });
    const held = (f: string) => new Set(c.ids_by_file?.[f] ?? []);
    const heldNow = new Set(now.flatMap((f) => [...held(f)]));
    const afterGarbage = [...servedIds()].filter((id) => !atGarbage.has(id));
    const afterDelete = [...servedIds()].filter((id) => !atDelete.has(id) && atGarbage.has(id));
    const lostAfterGarbage = afterGarbage.filter((id) => !heldNow.has(id));
    const lostAfterDelete = afterDelete.filter((id) => !held(beforeGarbage).has(id) && !heldNow.has(id));
    const moved = logsWith(processor, MOVED_ASIDE);
    const missing = logsWith(processor, MISSING);
    summaryLine(`file deleted, then garbage (${w.transport})`, {
      ...checkFacts(c),
      deleteTries,
      garbageTries,
      newFileAfterDelete,
      servedAfterDelete: afterDelete.length,
      servedAfterGarbage: afterGarbage.length,
      lostAfterDelete: lostAfterDelete.length,
      lostAfterGarbage: lostAfterGarbage.length,
      damaged: damaged.map((d) => path.basename(d)),
      damagedUnchanged: damagedSame.length,
      failing503Seen: watch.samples.filter(isFailing).length,
      logs: { missing: missing.length, movedAside: moved.length },
      drained,
      exits,
    });

    assert.ok(alive, "the processor kept running");
    assert.ok(newFileAfterDelete, "a new file was started after the delete");
    assert.equal(damaged.length, 1, "the garbage was set aside once as <path>.damaged-*");
    assert.match(damaged[0]!, DAMAGED_NAME);
    assert.equal(damagedSame.length, 1, "the set-aside file holds the garbage's bytes unchanged");
    assert.ok(finalIsNew, "a new HDF5 file was started at the path");
    assert.equal(drained, "ok");
    assert.ok(afterDelete.length > 0 && afterGarbage.length > 0, "tweets were served after each fault");
    assert.deepEqual(lostAfterDelete, [], "every tweet served after the delete is in a file started after it");
    assert.deepEqual(lostAfterGarbage, [], "every tweet served after the garbage is in the new file");
    assert.deepEqual(c.problems, [], "the files together: every tweet once, /sentiment as computed");
    assert.equal(c.ids_in_several_files, 0, "no tweet written to two files");
    assert.equal(c.tweets, c.served);
    assert.equal(missing.length, 1, `one "${MISSING}" line`);
    assert.equal(missing[0]!.level, "warn");
    assert.equal(moved.length, 1, `one "${MOVED_ASIDE}" line`);
    assert.equal(moved[0]!.level, "error");
    assert.equal(path.resolve(String(moved[0]!.file)), path.resolve(target));
    assert.equal(path.resolve(String(moved[0]!.movedTo)), damaged[0]);
    assert.deepEqual(exits, [0, 0]);
    assert.deepEqual(c.log_problems, [], "rows carry the documented log_* columns");
  });
}
