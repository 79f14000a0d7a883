import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocket } from "ws";
import { type JetstreamSimulator, startJetstreamSimulator } from "./simulator.js";

interface Client {
  frames: Array<Record<string, any>>;
  closed: Promise<void>;
  waitFor(n: number, ms?: number): Promise<void>;
  ws: WebSocket;
}

async function subscribe(sim: JetstreamSimulator, query: string): Promise<Client> {
  const ws = new WebSocket(`${sim.url}/subscribe?${query}`);
  const frames: Array<Record<string, any>> = [];
  ws.on("message", (d) => frames.push(JSON.parse(d.toString()) as Record<string, any>));
  const closed = new Promise<void>((r) => ws.on("close", () => r()));
  ws.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`status ${res.statusCode}`)));
  });
  return {
    ws,
    frames,
    closed,
    async waitFor(n, ms = 5000) {
      const end = Date.now() + ms;
      while (frames.length < n) {
        if (Date.now() > end) throw new Error(`got ${frames.length} of ${n} frames`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const POSTS = "wantedCollections=app.bsky.feed.post";

test("live subscribers get only post commits, identity and account events, in increasing time_us", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 0, seed: 1 });
  try {
    const c = await subscribe(sim, POSTS);
    const made = sim.generate(400);
    const expected = made.filter(
      (e) => e.frame.kind !== "commit" || e.frame.commit.collection === "app.bsky.feed.post",
    );
    assert.ok(expected.length < made.length, "some events are of other collections");
    await c.waitFor(expected.length);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      c.frames.map((f) => f.time_us),
      expected.map((e) => e.timeUs),
    );
    for (let i = 1; i < c.frames.length; i++) assert.ok(c.frames[i]!.time_us > c.frames[i - 1]!.time_us);
    c.ws.close();
  } finally {
    await sim.stop();
  }
});

test("a cursor replays from the history; an old one from the oldest kept, a future one live", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 300, historySize: 200, seed: 2 });
  try {
    const kept = sim.events();
    assert.equal(kept.length, 200);
    const mid = kept[120]!;
    const a = await subscribe(sim, `cursor=${mid.timeUs}`);
    await a.waitFor(80);
    assert.equal(a.frames[0]!.time_us, mid.timeUs);
    const old = await subscribe(sim, `cursor=${kept[0]!.timeUs - 10_000_000}`);
    await old.waitFor(200);
    assert.equal(old.frames[0]!.time_us, kept[0]!.timeUs);
    const future = await subscribe(sim, `cursor=${kept[199]!.timeUs + 60_000_000}`);
    const next = sim.generate(1)[0]!;
    await future.waitFor(1);
    assert.equal(future.frames[0]!.time_us, next.timeUs);
    assert.deepEqual(sim.stats().cursors, [mid.timeUs, kept[0]!.timeUs - 10_000_000, kept[199]!.timeUs + 60_000_000]);
    for (const c of [a, old, future]) c.ws.close();
  } finally {
    await sim.stop();
  }
});

test("connections are cut without a close frame on demand and after dropAfterEvents", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 50, dropAfterEvents: 10, seed: 3 });
  try {
    const first = sim.events()[0]!;
    const c = await subscribe(sim, `cursor=${first.timeUs}`);
    let code = 0;
    c.ws.on("close", (k) => (code = k));
    await c.closed;
    assert.equal(c.frames.length, 10);
    assert.equal(code, 1006, "abnormal closure: no close frame");
    const d = await subscribe(sim, "");
    assert.equal(sim.dropConnections(), 1);
    await d.closed;
    assert.equal(sim.stats().drops, 2);
  } finally {
    await sim.stop();
  }
});

test("control endpoints add posts and deletes, report events, and silence the stream", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 0, seed: 4 });
  const http = sim.url.replace("ws:", "http:");
  try {
    const c = await subscribe(sim, POSTS);
    const post = (await (
      await fetch(`${http}/_sim/posts`, { method: "POST", body: JSON.stringify({ text: "gm $BTC", langs: ["en"] }) })
    ).json()) as { frame: { did: string; commit: { rkey: string } } };
    await c.waitFor(1);
    assert.equal(c.frames[0]!.commit.record.text, "gm $BTC");
    await fetch(`${http}/_sim/silence`, { method: "POST", body: JSON.stringify({ ms: 300 }) });
    await fetch(`${http}/_sim/deletes`, {
      method: "POST",
      body: JSON.stringify({ did: post.frame.did, rkey: post.frame.commit.rkey }),
    });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(c.frames.length, 1, "nothing while silent");
    await c.waitFor(2);
    assert.equal(c.frames[1]!.commit.operation, "delete");
    assert.equal(c.frames[1]!.commit.record, undefined);
    const events = (await (await fetch(`${http}/_sim/events`)).json()) as unknown[];
    assert.equal(events.length, 2);
    assert.equal((await fetch(`${http}/subscribe`)).status, 400, "plain GET /subscribe is not an upgrade");
    await assert.rejects(subscribe(sim, "compress=true"), /status 400/);
    c.ws.close();
  } finally {
    await sim.stop();
  }
});

test("the live generator streams at its rate", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 200, initialEvents: 0, seed: 5 });
  try {
    const c = await subscribe(sim, "");
    await c.waitFor(40, 3000);
    c.ws.close();
  } finally {
    await sim.stop();
  }
});

test("cursorSlackSeconds replays more than asked, like the rewritten servers", async () => {
  const sim = await startJetstreamSimulator({
    eventsPerSecond: 10,
    initialEvents: 100,
    cursorSlackSeconds: 2,
    seed: 6,
  });
  try {
    const kept = sim.events();
    const asked = kept[80]!.timeUs;
    const c = await subscribe(sim, `cursor=${asked}`);
    await c.waitFor(30);
    assert.equal(c.frames[0]!.time_us, kept.find((e) => e.timeUs >= asked - 2_000_000)!.timeUs);
    assert.ok(c.frames[0]!.time_us < asked);
    c.ws.close();
  } finally {
    await sim.stop();
  }
});
