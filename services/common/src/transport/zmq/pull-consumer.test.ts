import { test } from "node:test";
import assert from "node:assert/strict";
import * as zmq from "zeromq";
import type { Consumer, Delivery } from "../transport.js";
import { defaultZmqOptions } from "./options.js";
import { ZmqPullConsumer } from "./pull-consumer.js";
import { ZmqWorkerPullConsumer } from "./worker-pull-consumer.js";

const limits = { maxEvents: 4, maxBytes: 64 };
const kinds: Record<string, (ep: string) => Consumer> = {
  "main thread": (ep) => new ZmqPullConsumer({ t: ep }, defaultZmqOptions, limits),
  "worker thread": (ep) => new ZmqWorkerPullConsumer({ t: ep }, defaultZmqOptions, limits),
};

async function pushSocket() {
  const push = new zmq.Push({ linger: 0 });
  await push.bind("tcp://127.0.0.1:*");
  return { push, endpoint: push.lastEndpoint! };
}

async function until(pred: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const [kind, make] of Object.entries(kinds)) {
  test(`${kind}: single frames and multipart frames arrive in order, in batches within the limits`, async () => {
    const { push, endpoint } = await pushSocket();
    const consumer = make(endpoint);
    const batches: Delivery[][] = [];
    await consumer.start("t", async (b) => void batches.push([...b]));
    const values: string[] = [];
    for (let i = 0; i < 10; i++) {
      values.push(`single-${i}`);
      await push.send(`single-${i}`);
    }
    const parts = Array.from({ length: 5 }, (_, i) => `part-${i}`);
    values.push(...parts);
    await push.send(parts);
    // One frame over the byte limit still travels, in a batch of its own making.
    values.push("x".repeat(100));
    await push.send("x".repeat(100));
    await until(() => batches.flat().length === values.length);
    assert.deepEqual(
      batches.flat().map((d) => d.value.toString()),
      values,
    );
    assert.deepEqual(
      batches.flat().map((d) => d.offset),
      values.map((_, i) => String(i)),
    );
    for (const b of batches) {
      // A batch ends at the limits, past them only by the frames of the message that crossed them.
      const first = b.slice(0, -1);
      assert.ok(first.length < limits.maxEvents + 5, `batch of ${b.length}`);
      assert.ok(first.reduce((a, d) => a + d.value.length, 0) < limits.maxBytes + 100);
    }
    await consumer.stop();
    push.close();
  });

  test(`${kind}: paused, nothing more is delivered until resume; stop ends intake`, async () => {
    const { push, endpoint } = await pushSocket();
    const consumer = make(endpoint);
    let n = 0;
    await consumer.start("t", async (b) => void (n += b.length));
    await push.send("a");
    await until(() => n === 1);
    consumer.pause();
    // A batch already on its way may still land; after that, nothing while paused.
    await new Promise((r) => setTimeout(r, 50));
    const atPause = n;
    for (let i = 0; i < 20; i++) await push.send(`m${i}`);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(n - atPause <= limits.maxEvents * 2, `delivered ${n - atPause} while paused`);
    consumer.resume();
    await until(() => n === 21);
    await consumer.stop();
    push.close();
  });
}
