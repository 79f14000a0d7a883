import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { WebSocket, type ClientOptions } from "ws";
import { writeReplayFile } from "./replay-fixture.js";
import {
  startBinanceSimulator,
  type BinanceSimulator,
  type SimulatorOptions,
} from "@cryptostream/binance-simulator/simulator";

const TIMEOUT = 10_000;
let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "binsim-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withSim(opts: SimulatorOptions, fn: (sim: BinanceSimulator) => Promise<void>): Promise<void> {
  const sim = await startBinanceSimulator({ port: 0, pingIntervalMs: 0, ...opts });
  try {
    await fn(sim);
  } finally {
    await sim.stop();
  }
}

interface Client {
  ws: WebSocket;
  messages: string[];
  pings: number;
  closed: Promise<{ code: number }>;
  /** Resolves once `n` messages have arrived (or rejects after a timeout). */
  waitFor(n: number): Promise<string[]>;
}

function connect(url: string, opts?: ClientOptions): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    const messages: string[] = [];
    const waiters: { n: number; resolve: (m: string[]) => void }[] = [];
    const client: Client = {
      ws,
      messages,
      pings: 0,
      closed: new Promise((r) => ws.on("close", (code) => r({ code }))),
      waitFor: (n) =>
        messages.length >= n
          ? Promise.resolve(messages)
          : new Promise((res, rej) => {
              const t = setTimeout(() => rej(new Error(`got ${messages.length} of ${n} messages`)), TIMEOUT);
              waiters.push({ n, resolve: (m) => (clearTimeout(t), res(m)) });
            }),
    };
    ws.on("message", (data) => {
      messages.push(data.toString());
      for (const w of [...waiters])
        if (messages.length >= w.n) (waiters.splice(waiters.indexOf(w), 1), w.resolve(messages));
    });
    ws.on("ping", () => (client.pings += 1));
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}

test("port 0 gives a free port and a ws://127.0.0.1:<port> url", async () => {
  await withSim({}, async (sim) => {
    assert.ok(sim.port > 0);
    assert.equal(sim.url, `ws://127.0.0.1:${sim.port}`);
  });
});

test("combined stream: well-formed messages for the requested streams only", async () => {
  await withSim({ intervalMs: 20, seed: 1 }, async (sim) => {
    const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker/ethusdt@aggTrade`);
    const before = Date.now();
    const msgs = (await c.waitFor(20))
      .slice(0, 20)
      .map((m) => JSON.parse(m) as { stream: string; data: Record<string, unknown> });
    const seen = new Set<string>();
    for (const m of msgs) {
      assert.deepEqual(Object.keys(m).sort(), ["data", "stream"]);
      seen.add(m.stream);
      if (m.stream === "btcusdt@ticker") {
        assert.equal(m.data.e, "24hrTicker");
        assert.equal(m.data.s, "BTCUSDT");
      } else {
        assert.equal(m.stream, "ethusdt@aggTrade");
        assert.equal(m.data.e, "aggTrade");
        assert.equal(m.data.s, "ETHUSDT");
      }
      const E = m.data.E as number;
      assert.ok(E >= before - 1000 && E <= Date.now() + 10, "event time is the wall clock");
    }
    assert.deepEqual([...seen].sort(), ["btcusdt@ticker", "ethusdt@aggTrade"]);
    c.ws.close();
    await c.closed;
  });
});

test("rate: about one update per stream per interval", async () => {
  await withSim({ intervalMs: 100, seed: 1 }, async (sim) => {
    const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker/ethusdt@ticker`);
    await new Promise((r) => setTimeout(r, 1050));
    const n = c.messages.length;
    // 2 streams x 10/s for ~1 s, plus the immediate first event; allow timer slack.
    assert.ok(n >= 14 && n <= 24, `got ${n} messages in ~1 s`);
    const counts = new Map<string, number>();
    for (const m of c.messages) {
      const s = (JSON.parse(m) as { stream: string }).stream;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    assert.ok(
      Math.abs((counts.get("btcusdt@ticker") ?? 0) - (counts.get("ethusdt@ticker") ?? 0)) <= 1,
      "streams take turns",
    );
    c.ws.close();
  });
});

test("a total rate (SIM_RATE) overrides the per-stream interval, and is not exceeded", async () => {
  await withSim({ rate: 20_000, intervalMs: 1000, seed: 1 }, async (sim) => {
    const t0 = performance.now();
    const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker/ethusdt@ticker/bnbusdt@ticker`);
    // With intervalMs alone this would take over 5 minutes (3 events/s).
    await c.waitFor(1000);
    const elapsedS = (performance.now() - t0) / 1000;
    const sent = sim.stats().messagesSent;
    console.log(`# 20k/s requested: 1000 messages after ${Math.round(elapsedS * 1000)} ms`);
    // At most the schedule plus one catch-up burst (0.1 s of events).
    assert.ok(sent <= 20_000 * elapsedS + 2_000 + 10, `sent ${sent} in ${elapsedS} s`);
    c.ws.close();
  });
});

test("/stream + SUBSCRIBE: {result:null,id}, then data for that stream; UNSUBSCRIBE stops it", async () => {
  await withSim({ intervalMs: 10, seed: 2 }, async (sim) => {
    const c = await connect(`${sim.url}/stream`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.messages.length, 0, "nothing before a subscription");
    c.ws.send(JSON.stringify({ method: "SUBSCRIBE", params: ["solusdt@ticker"], id: 1 }));
    const msgs = await c.waitFor(6);
    assert.equal(msgs[0], '{"result":null,"id":1}');
    for (const m of msgs.slice(1, 6)) assert.equal((JSON.parse(m) as { stream: string }).stream, "solusdt@ticker");
    c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 2 }));
    c.ws.send(JSON.stringify({ method: "UNSUBSCRIBE", params: ["solusdt@ticker"], id: 3 }));
    await new Promise((r) => setTimeout(r, 100));
    const replies = c.messages.filter((m) => m.includes('"id"'));
    assert.deepEqual(replies, [
      '{"result":null,"id":1}',
      '{"result":["solusdt@ticker"],"id":2}',
      '{"result":null,"id":3}',
    ]);
    const countAfterUnsub = c.messages.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.messages.length, countAfterUnsub, "no data after UNSUBSCRIBE");
    c.ws.close();
  });
});

test("raw /ws/<stream> gets unwrapped payloads; unknown symbols stay silent", async () => {
  await withSim({ intervalMs: 10, symbols: ["btcusdt"] }, async (sim) => {
    const raw = await connect(`${sim.url}/ws/btcusdt@aggTrade`);
    const silent = await connect(`${sim.url}/stream?streams=zzzusdt@ticker/btcusdt@kline_1m`);
    const msgs = await raw.waitFor(3);
    for (const m of msgs) assert.equal((JSON.parse(m) as { e: string }).e, "aggTrade");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(silent.messages.length, 0);
    raw.ws.close();
    silent.ws.close();
  });
});

test("bad paths and bad stream names are refused at the upgrade", async () => {
  await withSim({}, async (sim) => {
    const status = (path: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(sim.url + path);
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("error", () => undefined);
      });
    assert.equal(await status("/nope"), 404);
    assert.equal(await status("/stream?streams=btcusdt"), 400);
  });
});

test("pings are sent and pongs counted; a client that does not pong is cut", async () => {
  await withSim({ intervalMs: 1000, pingIntervalMs: 40, pongTimeoutMs: 400 }, async (sim) => {
    const good = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
    const mute = await connect(`${sim.url}/stream?streams=btcusdt@ticker`, { autoPong: false });
    const { code } = await mute.closed;
    assert.equal(code, 1006, "cut without a close frame");
    assert.ok(mute.pings >= 2, `mute client saw ${mute.pings} pings`);
    assert.ok(good.pings >= 3, `good client saw ${good.pings} pings`);
    assert.equal(good.ws.readyState, WebSocket.OPEN, "the answering client stays connected");
    const s = sim.stats();
    assert.equal(s.pongTimeouts, 1);
    assert.ok(s.pongsReceived >= 3);
    good.ws.close();
  });
});

test("serverShutdown is delivered, then the connection closes with 1001", async () => {
  await withSim({ intervalMs: 20, serverShutdownAfterMs: 80, serverShutdownGraceMs: 60 }, async (sim) => {
    const t0 = Date.now();
    const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
    const { code } = await c.closed;
    assert.equal(code, 1001);
    const shutdown = c.messages
      .map((m) => JSON.parse(m) as Record<string, unknown>)
      .filter((m) => m.e === "serverShutdown");
    assert.equal(shutdown.length, 1);
    assert.deepEqual(Object.keys(shutdown[0]!).sort(), ["E", "e"]);
    assert.ok((shutdown[0]!.E as number) >= t0);
    const idx = c.messages.findIndex((m) => m.includes("serverShutdown"));
    assert.ok(idx > 0 && idx < c.messages.length - 1, "data before and during the grace period");
    assert.equal(sim.stats().serverShutdownsSent, 1);
  });
});

test("serverShutdown in the WebSocket API's wrapped format on request", async () => {
  await withSim(
    { serverShutdownAfterMs: 20, serverShutdownGraceMs: 20, serverShutdownFormat: "wrapped" },
    async (sim) => {
      const c = await connect(`${sim.url}/stream`);
      await c.closed;
      assert.match(c.messages[0] ?? "", /^\{"event":\{"e":"serverShutdown","E":\d+\}\}$/);
    },
  );
});

test("drop after ms cuts abruptly (1006), each connection", async () => {
  await withSim({ intervalMs: 10, dropAfterMs: 100 }, async (sim) => {
    for (let i = 0; i < 2; i++) {
      const t0 = Date.now();
      const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
      const { code } = await c.closed;
      assert.equal(code, 1006);
      assert.ok(Date.now() - t0 >= 90, "not before the configured time");
      assert.ok(c.messages.length >= 3);
    }
    assert.equal(sim.stats().drops, 2);
  });
});

test("drop every N messages in generated mode: exactly N data frames, then 1006; others unaffected", async () => {
  await withSim({ rate: 2_000, dropEveryMessages: 25 }, async (sim) => {
    const a = await connect(`${sim.url}/stream?streams=btcusdt@ticker/ethusdt@ticker`);
    const b = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
    assert.equal((await a.closed).code, 1006);
    assert.equal((await b.closed).code, 1006);
    assert.equal(a.messages.length, 25);
    assert.equal(b.messages.length, 25);
    // The feed goes on for the next client at the configured pace.
    const c = await connect(`${sim.url}/stream?streams=ethusdt@ticker`);
    assert.equal((await c.closed).code, 1006);
    assert.equal(c.messages.length, 25);
    assert.equal(sim.stats().drops, 3);
  });
});

test("replay: lines verbatim and in order, malformed ones included, from the start for each connection", async () => {
  const path = join(dir, "verbatim.jsonl");
  const fixture = await writeReplayFile(path, { events: 300, seed: 4, malformedEvery: 50, outOfOrderEvery: 30 });
  let ended = 0;
  await withSim({ replayFile: path, onReplayEnd: () => (ended += 1) }, async (sim) => {
    for (let i = 0; i < 2; i++) {
      const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
      const got = await c.waitFor(fixture.lines.length);
      assert.deepEqual(
        got,
        fixture.lines.map((l) => l.text),
      );
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(c.messages.length, fixture.lines.length, "idles after the end");
      c.ws.close();
      await c.closed;
    }
    assert.equal(ended, 1, "onReplayEnd once");
    assert.deepEqual(sim.stats().replay, { lines: 306, cursor: 306, finished: true });
  });
});

test("replay at a fixed rate", async () => {
  const path = join(dir, "rate.jsonl");
  await writeReplayFile(path, { events: 1000, seed: 4 });
  await withSim({ replayFile: path, replayRate: 200 }, async (sim) => {
    const c = await connect(`${sim.url}/stream`);
    await new Promise((r) => setTimeout(r, 500));
    const n = c.messages.length;
    assert.ok(n >= 80 && n <= 125, `200 lines/s for 0.5 s gave ${n}`);
    c.ws.close();
  });
});

/** Reconnects after every cut until the server has no more lines; returns everything received. */
async function collectAcrossDrops(url: string, total: number): Promise<{ lines: string[]; connections: number }> {
  const lines: string[] = [];
  let connections = 0;
  const deadline = Date.now() + TIMEOUT;
  while (lines.length < total && Date.now() < deadline) {
    const c = await connect(`${url}/stream?streams=btcusdt@ticker`);
    connections += 1;
    const closed = await Promise.race([c.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 300))]);
    if (!closed) {
      // No cut in 300 ms: the end of the file was reached on this connection.
      c.ws.close();
      await c.closed;
    }
    lines.push(...c.messages);
  }
  return { lines, connections };
}

test("replay resume: with a drop every N messages, every line arrives exactly once overall", async () => {
  const path = join(dir, "resume.jsonl");
  const fixture = await writeReplayFile(path, { events: 1000, seed: 6, malformedEvery: 100 });
  await withSim({ replayFile: path, replayResume: true, dropEveryMessages: 137 }, async (sim) => {
    const { lines, connections } = await collectAcrossDrops(sim.url, fixture.lines.length);
    assert.equal(connections, Math.ceil(fixture.lines.length / 137));
    assert.deepEqual(
      lines,
      fixture.lines.map((l) => l.text),
    );
    assert.equal(sim.stats().replay?.cursor, fixture.lines.length);
  });
});

test("replay resume: with timed drops mid-stream, every line arrives exactly once overall", async () => {
  const path = join(dir, "resume-timed.jsonl");
  const fixture = await writeReplayFile(path, { events: 600, seed: 7 });
  await withSim({ replayFile: path, replayResume: true, replayRate: 2000, dropAfterMs: 70 }, async (sim) => {
    const { lines, connections } = await collectAcrossDrops(sim.url, fixture.lines.length);
    assert.ok(connections >= 3, `only ${connections} connections: the drops did not happen mid-stream`);
    assert.equal(lines.length, fixture.lines.length);
    assert.deepEqual(
      lines,
      fixture.lines.map((l) => l.text),
    );
  });
});

test("replay resume at full speed with small buffers: a timed drop loses and repeats nothing", async () => {
  const path = join(dir, "resume-fast.jsonl");
  const fixture = await writeReplayFile(path, { events: 20_000, seed: 8, stream: ["ticker", "aggTrade"] });
  await withSim({ replayFile: path, replayResume: true, dropAfterMs: 40, maxBufferedBytes: 16 * 1024 }, async (sim) => {
    const { lines, connections } = await collectAcrossDrops(sim.url, fixture.lines.length);
    assert.ok(connections >= 2, `only ${connections} connections: no drop happened mid-stream`);
    assert.equal(lines.length, fixture.lines.length);
    assert.ok(
      lines.every((l, i) => l === fixture.lines[i]!.text),
      "same lines in the same order",
    );
  });
});

test("the same seed and clock give the same generated data", async () => {
  const take = async (): Promise<string[]> => {
    let out: string[] = [];
    await withSim({ intervalMs: 5, seed: 77, clock: () => 1_700_000_000_000 }, async (sim) => {
      const c = await connect(`${sim.url}/stream?streams=ethusdt@ticker`);
      out = (await c.waitFor(10)).slice(0, 10);
      c.ws.close();
    });
    return out;
  };
  const a = await take();
  assert.deepEqual(await take(), a);
  assert.ok(a[0]?.includes('"E":1700000000000'));
});

test("stop() closes open connections with 1001 and frees the port", async () => {
  const sim = await startBinanceSimulator({ port: 0, intervalMs: 10 });
  const c = await connect(`${sim.url}/stream?streams=btcusdt@ticker`);
  await sim.stop();
  assert.equal((await c.closed).code, 1001);
  await assert.rejects(connect(`${sim.url}/stream`));
});
