/**
 * One contract for every processor's store: the specs of each processor run
 * it with their own events and reader (binance-processor and
 * twitter-processor: test/store-contract.test.ts). What it holds a processor
 * to, on a stream of events that crosses midnight UTC:
 *
 * - each row lands in the partition of its event-time day, and nowhere else;
 * - a crash whose log replay spans two partitions counts nothing twice and
 *   loses nothing: the merged windows equal an uninterrupted run's;
 * - a partition whose day is over is sealed and its bytes never change again;
 * - an open partition replaced by garbage is set aside, never overwritten, and
 *   a new file of the same day takes the rows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Consumer, Delivery } from "@cryptostream/common";
import { loadH5 } from "@cryptostream/common/hdf5/h5";
import { listStore, storeDirOf } from "@cryptostream/common/store/layout";
import { FakeConsumer } from "./fake-consumer.js";

/** What a processor's store can be started and asked. */
export interface StoreSubject {
  /** Started, writing the store of the setting `file`, with the wall clock `now` (no timer: the contract ticks). */
  make(file: string, consumer: Consumer, now: () => number): Promise<StoreRuntime>;
  /** The delivery of one valid event of event time `time` (ms) at `offset` of partition 0. */
  event(time: number, offset: number): Delivery;
  /** Events counted per window start in these files, rows of one window merged. */
  counts(files: readonly string[]): Promise<Map<number, number>>;
  /** The processor's window length and lateness (ms). */
  readonly windowMs: number;
  readonly latenessMs: number;
}

export interface StoreRuntime {
  tick(): Promise<void>;
  stop(): Promise<void>;
  abandon(): void;
  healthy(): boolean;
}

/** Midnight UTC between the two days the stream covers. */
const MIDNIGHT = Date.UTC(2024, 0, 2);

/** A stream of events every `stepMs` from `from` to `to`: each delivery with its event time. */
interface Timed {
  readonly time: number;
  readonly delivery: Delivery;
}

function stream(subject: StoreSubject, from: number, to: number, stepMs: number): Timed[] {
  const out: Timed[] = [];
  for (let t = from, offset = 0; t <= to; t += stepMs) out.push({ time: t, delivery: subject.event(t, offset++) });
  return out;
}

/** A started runtime on `consumer` whose wall clock follows the events fed to it, 10 per batch. */
async function run(subject: StoreSubject, file: string, consumer: FakeConsumer, from: number) {
  const clock = { now: from };
  const rt = await subject.make(file, consumer, () => clock.now);
  const feed = async (events: readonly Timed[]) => {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      clock.now = batch.at(-1)!.time;
      await consumer.deliver(batch.map((e) => e.delivery));
    }
  };
  return { rt, clock, feed };
}

function storeFiles(file: string): string[] {
  return listStore(storeDirOf(file)).map((f) => f.path);
}

function sha(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Registers the contract's specs for `name`. */
export function storeContract(name: string, subject: StoreSubject): void {
  const { windowMs, latenessMs } = subject;
  const from = MIDNIGHT - 6 * windowMs;
  const to = MIDNIGHT + 6 * windowMs;
  const step = Math.max(1, Math.floor(windowMs / 7));
  const setup = () => ({
    log: stream(subject, from, to, step),
    dir: fs.mkdtempSync(path.join(os.tmpdir(), "store-contract-")),
  });

  test(`${name} store: each row lands in the partition of its event-time day`, async () => {
    const { log, dir } = setup();
    const file = path.join(dir, "s.h5");
    const { rt, feed } = await run(subject, file, new FakeConsumer(), from);
    await feed(log);
    await rt.stop();
    const files = storeFiles(file);
    assert.deepEqual(
      files.map((f) => path.basename(f)),
      ["2024-01-01.h5", "2024-01-02.h5"],
    );
    const before = await subject.counts([files[0]!]);
    const after = await subject.counts([files[1]!]);
    assert.ok(before.size > 0 && after.size > 0, "both days hold windows");
    for (const start of before.keys()) assert.ok(start < MIDNIGHT, `window ${start} in the first day's file`);
    for (const start of after.keys()) assert.ok(start >= MIDNIGHT, `window ${start} in the second day's file`);
  });

  test(`${name} store: a crash whose log replay spans two partitions counts nothing twice`, async () => {
    const { log, dir } = setup();
    // The uninterrupted run.
    const refFile = path.join(dir, "ref.h5");
    const ref = await run(subject, refFile, new FakeConsumer(), from);
    await ref.feed(log);
    await ref.rt.stop();
    const want = await subject.counts(storeFiles(refFile));
    // The crash: just after midnight, while the last window of the first day is still open.
    const file = path.join(dir, "crash.h5");
    const first = new FakeConsumer();
    const before = await run(subject, file, first, from);
    const cut = log.findIndex((e) => e.time >= MIDNIGHT + Math.min(latenessMs, windowMs) / 2);
    await before.feed(log.slice(0, cut));
    before.rt.abandon();
    const committed = Number(first.committed.get(0) ?? 0n);
    assert.ok(log[committed]!.time < MIDNIGHT, "the commit point is before midnight: the replay spans both days");
    assert.ok(
      storeFiles(file).some((f) => path.basename(f) === "2024-01-01.h5"),
      "rows of the first day were written before the crash",
    );
    const second = new FakeConsumer({ committed: new Map([[0, BigInt(committed)]]) });
    const after = await run(subject, file, second, log[cut - 1]!.time);
    await second.assign([0], first.committedMetadata);
    await after.feed(log.slice(committed));
    await after.rt.stop();
    const got = await subject.counts(storeFiles(file));
    assert.deepEqual(
      [...got.entries()].sort(),
      [...want.entries()].sort(),
      "merged windows equal the uninterrupted run",
    );
  });

  test(`${name} store: a partition whose day is over is sealed and never written again`, async () => {
    const { log, dir } = setup();
    const file = path.join(dir, "s.h5");
    const c = new FakeConsumer();
    const { rt, clock, feed } = await run(subject, file, c, from);
    await feed(log);
    await rt.tick();
    const first = storeFiles(file)[0]!;
    const h5 = await loadH5();
    const f = new h5.File(first, "r");
    const sealed = f.attrs["sealed_at"];
    f.close();
    assert.ok(sealed !== undefined, "the first day's partition carries sealed_at");
    const hash = sha(first);
    // More of the second day, and an event of the first day that comes too late.
    const later = [subject.event(MIDNIGHT - windowMs, log.length), subject.event(to + windowMs, log.length + 1)];
    later.push(subject.event(to + 4 * windowMs + latenessMs, log.length + 2));
    clock.now = to + 4 * windowMs + latenessMs;
    await c.deliver(later);
    await rt.tick();
    await rt.stop();
    assert.equal(sha(first), hash, "the sealed partition's bytes did not change");
  });

  test(`${name} store: an open partition replaced by garbage is set aside and a new file of its day takes the rows`, async () => {
    const { log, dir } = setup();
    const file = path.join(dir, "s.h5");
    const { rt, feed } = await run(subject, file, new FakeConsumer({ replays: false }), from);
    const quarter = Math.floor(log.length / 4);
    await feed(log.slice(0, quarter));
    const open = storeFiles(file).at(-1)!;
    fs.writeFileSync(open, "not an HDF5 file");
    await feed(log.slice(quarter));
    await rt.stop();
    assert.equal(rt.healthy(), true);
    const aside = fs.readdirSync(path.dirname(open)).filter((n) => n.startsWith(`${path.basename(open)}.damaged-`));
    assert.equal(aside.length, 1, "set aside once");
    assert.equal(fs.readFileSync(path.join(path.dirname(open), aside[0]!), "utf8"), "not an HDF5 file");
    const got = await subject.counts([open]);
    assert.ok(got.size > 0, "the new file of that day holds the later windows");
  });
}
