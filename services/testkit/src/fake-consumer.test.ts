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
