import assert from "node:assert/strict";
import { test } from "node:test";
import type { Delivery } from "@cryptostream/common";
import { deliveriesOf, FakeConsumer } from "./fake-consumer.js";

const log = deliveriesOf(
  ["a", "b", "c", "d"].map((s) => Buffer.from(s)),
  { topic: "t", partition: 1 },
);
const tick = () => new Promise((r) => setImmediate(r));

test("deliveriesOf: consecutive offsets of one partition", () => {
  assert.deepEqual(
    log.map((d) => [d.topic, d.partition, d.offset, d.value.toString()]),
    [
      ["t", 1, "0", "a"],
      ["t", 1, "1", "b"],
      ["t", 1, "2", "c"],
      ["t", 1, "3", "d"],
    ],
  );
  assert.equal(deliveriesOf([Buffer.from("x")], { firstOffset: 41 })[0]!.offset, "41");
});

test("deliver hands batches to the handler in order and waits for it", async () => {
  const c = new FakeConsumer();
  await assert.rejects(c.deliver(log), /before start/);
  const seen: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await c.start("t", async (batch) => {
    if (batch[0]!.offset === "0") await gate;
    seen.push(batch.map((d) => d.offset).join(","));
  });
  assert.equal(c.topic, "t");
  assert.ok(c.started);
  await assert.rejects(
    c.start("t", async () => {}),
    /started twice/,
  );
  let firstDone = false;
  const first = c.deliver(log.slice(0, 2)).then((r) => ((firstDone = true), r));
  const second = c.deliver(log.slice(2));
  await tick();
  assert.equal(firstDone, false, "deliver waits for the handler");
  assert.deepEqual(seen, [], "the second batch waits for the first");
  release();
  assert.equal(await first, true);
  assert.equal(await second, true);
  assert.deepEqual(seen, ["0,1", "2,3"]);
});

test("deliver rejects with the handler's error and the next batch still goes", async () => {
  const c = new FakeConsumer();
  await c.start("t", async (batch: readonly Delivery[]) => {
    if (batch[0]!.offset === "0") throw new Error("boom");
  });
  await assert.rejects(c.deliver(log.slice(0, 1)), /boom/);
  assert.equal(await c.deliver(log.slice(1, 2)), true);
});

test("commits are recorded, the last per partition wins, and can fail on demand", async () => {
  const c = new FakeConsumer({ committed: new Map([[0, 5n]]) });
  assert.equal(c.committed.get(0), 5n, "an earlier run's commit");
  await c.commit([{ topic: "t", partition: 0, offset: "7" }]);
  await c.commit([
    { topic: "t", partition: 0, offset: "9" },
    { topic: "t", partition: 1, offset: "3" },
  ]);
  assert.deepEqual(
    [...c.committed],
    [
      [0, 9n],
      [1, 3n],
    ],
  );
  assert.equal(c.commits.length, 2);
  c.failCommits(2, new Error("broker away"));
  await assert.rejects(c.commit([{ topic: "t", partition: 0, offset: "11" }]), /broker away/);
  await assert.rejects(c.commit([{ topic: "t", partition: 0, offset: "11" }]), /broker away/);
  assert.equal(c.committed.get(0), 9n, "a failed commit records nothing");
  await c.commit([{ topic: "t", partition: 0, offset: "11" }]);
  assert.equal(c.committed.get(0), 11n);
  assert.equal(c.commits.length, 3);
  c.failCommits();
  await assert.rejects(c.commit([]), /on purpose/);
});

test("replays: true by default (Kafka), false on request (ZeroMQ)", () => {
  assert.equal(new FakeConsumer().replays, true);
  assert.equal(new FakeConsumer({ replays: false }).replays, false);
});

test("pause holds deliveries until resume", async () => {
  const c = new FakeConsumer();
  const seen: string[] = [];
  await c.start("t", async (batch) => {
    seen.push(batch[0]!.offset);
  });
  c.pause();
  assert.equal(c.paused, true);
  const held = c.deliver(log.slice(0, 1));
  const next = c.deliver(log.slice(1, 2));
  await tick();
  assert.deepEqual(seen, []);
  c.resume();
  assert.equal(c.paused, false);
  assert.equal(await held, true);
  assert.equal(await next, true);
  assert.deepEqual(seen, ["0", "1"]);
});

test("revoke runs every revoke callback and the consumer keeps going", async () => {
  const c = new FakeConsumer();
  const calls: string[] = [];
  c.onRevoke(async () => void calls.push("one"));
  c.onRevoke(async () => void calls.push("two"));
  await c.start("t", async () => {});
  await c.revoke();
  assert.deepEqual(calls, ["one", "two"]);
  assert.equal(await c.deliver(log), true);
  await c.commit([{ topic: "t", partition: 1, offset: "4" }]);
});

test("stop waits for the batch in progress, runs the revoke callbacks, then refuses commits", async () => {
  const c = new FakeConsumer();
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await c.start("t", async () => {
    await gate;
    order.push("batch done");
  });
  c.onRevoke(async () => {
    order.push("revoked");
    await c.commit([{ topic: "t", partition: 1, offset: "4" }]);
  });
  const inProgress = c.deliver(log);
  await tick();
  const stopped = c.stop();
  assert.equal(c.stop(), stopped, "a second stop is the same stop");
  await tick();
  assert.deepEqual(order, [], "stop waits for the handler");
  release();
  await stopped;
  assert.equal(await inProgress, true);
  assert.deepEqual(order, ["batch done", "revoked"]);
  assert.equal(c.committed.get(1), 4n, "the revoke callback could still commit");
  assert.equal(c.stopped, true);
  await assert.rejects(c.commit([]), /after stop/);
});

test("a batch held by pause is dropped when the consumer stops", async () => {
  const c = new FakeConsumer();
  let calls = 0;
  await c.start("t", async () => void calls++);
  c.pause();
  const held = c.deliver(log);
  await c.stop();
  assert.equal(await held, false);
  assert.equal(await c.deliver(log), false, "nothing is delivered after stop");
  assert.equal(calls, 0);
});

test("commits keep their metadata, and a commit without it leaves none", async () => {
  const c = new FakeConsumer({ committed: new Map([[0, 5n]]), metadata: new Map([[0, "earlier run"]]) });
  assert.equal(c.committedMetadata.get(0), "earlier run");
  await c.commit([
    { topic: "t", partition: 0, offset: "7", metadata: "wm-7" },
    { topic: "t", partition: 1, offset: "2", metadata: "wm-2" },
  ]);
  assert.equal(c.committedMetadata.get(0), "wm-7");
  assert.equal(c.commits[0]![0]!.metadata, "wm-7");
  await c.commit([{ topic: "t", partition: 0, offset: "8" }]);
  assert.equal(c.committedMetadata.get(0), null);
  assert.equal(c.committedMetadata.get(1), "wm-2");
  c.failCommits();
  await assert.rejects(c.commit([{ topic: "t", partition: 1, offset: "3", metadata: "lost" }]));
  assert.equal(c.committedMetadata.get(1), "wm-2", "a failed commit records no metadata either");
});

test("assign runs the assign callbacks with the committed offsets and metadata, in line with deliveries", async () => {
  const c = new FakeConsumer({ committed: new Map([[2, 40n]]), metadata: new Map([[2, "from before"]]) });
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  c.onAssign(async (assigned) => {
    order.push(`assign ${JSON.stringify(assigned)}`);
  });
  c.onAssign(async (assigned) => void order.push(`second ${assigned.length}`));
  await c.start("t", async (batch) => {
    if (batch[0]!.offset === "0") await gate;
    order.push(`batch ${batch[0]!.offset}`);
  });
  await c.assign([1, 2]);
  assert.deepEqual(order, [
    `assign ${JSON.stringify([
      { partition: 1, offset: null, metadata: null },
      { partition: 2, offset: "40", metadata: "from before" },
    ])}`,
    "second 2",
  ]);
  order.length = 0;
  // A rebalance: the batch in progress finishes first, the next batch waits for the callbacks.
  const first = c.deliver(log.slice(0, 1));
  await c.commit([{ topic: "t", partition: 1, offset: "1", metadata: "mine" }]);
  const assigned = c.assign([1, 2], new Map([[2, "another replica's"]]));
  const next = c.deliver(log.slice(1, 2));
  await tick();
  assert.deepEqual(order, [], "assign waits for the batch before it");
  release();
  await Promise.all([first, assigned, next]);
  assert.deepEqual(order, [
    "batch 0",
    `assign ${JSON.stringify([
      { partition: 1, offset: "1", metadata: "mine" },
      { partition: 2, offset: "40", metadata: "another replica's" },
    ])}`,
    "second 2",
    "batch 1",
  ]);
});

test("a failing assign callback rejects assign, and nothing is assigned after stop", async () => {
  const c = new FakeConsumer();
  let calls = 0;
  c.onAssign(async () => {
    calls += 1;
    if (calls === 1) throw new Error("cannot seed");
  });
  await c.start("t", async () => {});
  await assert.rejects(c.assign([0]), /cannot seed/);
  await c.assign([0]);
  assert.equal(calls, 2);
  await c.stop();
  await c.assign([0]);
  assert.equal(calls, 2);
});
