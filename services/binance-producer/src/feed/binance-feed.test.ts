import { test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { silentLogger } from "@cryptostream/common";
import WebSocket, { WebSocketServer } from "ws";
import { BinanceFeed, type FrameKind, handshakeHint, type LossCause, type RollOverCause } from "./binance-feed.js";

/** A local websocket server; `behave(n, ws)` decides what connection n (1, 2, ...) does. */
async function server(behave: (n: number, ws: WebSocket) => void) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  let n = 0;
  const closes: Array<{ n: number; code: number }> = [];
  wss.on("connection", (ws) => {
    const id = ++n;
    ws.on("close", (code) => closes.push({ n: id, code }));
    behave(id, ws);
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connections: () => n,
    closes,
    stop: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

/** Sends "data <n>" every 10 ms while open. */
function stream(ws: WebSocket, n: number) {
  const t = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(`data ${n}`), 10);
  ws.on("close", () => clearInterval(t));
}

function feed(
  url: string,
  opts: Partial<ConstructorParameters<typeof BinanceFeed>[0]> = {},
  kindOf?: (t: string) => FrameKind,
) {
  const seen = { lost: [] as LossCause[], rolled: [] as RollOverCause[], frames: [] as string[] };
  const kind = (text: string): FrameKind => (kindOf ? kindOf(text) : text.startsWith("data") ? "data" : "other");
  const f = new BinanceFeed(
    {
      url,
      backoff: { baseMs: 10, maxMs: 20, floorMs: 10 },
      staleMs: 5_000,
      maxConnectionMs: 60_000,
      handshakeTimeoutMs: 1_000,
      rollOverTimeoutMs: 5_000,
      ...opts,
    },
    {
      message: (text) => {
        seen.frames.push(text);
        return kind(text);
      },
      kindOf: (text) => kind(text),
      lost: (c) => seen.lost.push(c),
      rolledOver: (c) => seen.rolled.push(c),
    },
    silentLogger,
  );
  return { f, seen };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, probe: () => boolean, ms = 3_000) {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await wait(10);
  }
}

test("age roll-over is make-before-break: the old connection closes (1000) only after the new one delivered", async () => {
  const s = await server((n, ws) => stream(ws, n));
  const { f, seen } = feed(s.url, { maxConnectionMs: 150 });
  try {
    f.start();
    await until("a roll-over", () => seen.rolled.length >= 1);
    await until("the old connection closed", () => s.closes.some((c) => c.n === 1));
    assert.deepEqual(seen.lost, [], "no loss");
    assert.deepEqual(seen.rolled.slice(0, 1), ["roll-over"]);
    assert.equal(s.closes.find((c) => c.n === 1)!.code, 1000, "closed with a close frame, not cut");
    const firstOf2 = seen.frames.indexOf("data 2");
    assert.ok(firstOf2 >= 0 && seen.frames.slice(0, firstOf2).includes("data 1"), "both delivered during the overlap");
    assert.ok(!seen.frames.slice(firstOf2).includes("data 1"), "the old connection's frames all come first");
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("serverShutdown starts a roll-over with cause shutdown", async () => {
  const s = await server((n, ws) => {
    stream(ws, n);
    if (n === 1) setTimeout(() => ws.send("shutdown"), 50);
  });
  const { f, seen } = feed(s.url, {}, (t) =>
    t === "shutdown" ? "serverShutdown" : t.startsWith("data") ? "data" : "other",
  );
  try {
    f.start();
    await until("a roll-over", () => seen.rolled.length === 1);
    assert.deepEqual(seen.rolled, ["shutdown"]);
    assert.deepEqual(seen.lost, []);
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("a successor that does not deliver in time: break-before-make, the loss carries the roll-over's cause", async () => {
  const s = await server((n, ws) => (n === 2 ? undefined : stream(ws, n)));
  const { f, seen } = feed(s.url, { maxConnectionMs: 100, rollOverTimeoutMs: 150 });
  try {
    f.start();
    await until("a loss", () => seen.lost.length >= 1);
    assert.deepEqual(seen.lost, ["roll-over"]);
    await until("a third connection delivers", () => seen.frames.includes("data 3"));
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("a cut connection is a drop, a silent one is stale; both reconnect", async () => {
  const s = await server((n, ws) => {
    if (n === 1) {
      ws.send("data 1");
      setTimeout(() => ws.terminate(), 30);
    } else if (n === 2)
      ws.send("data 2"); // then silence
    else stream(ws, n);
  });
  const { f, seen } = feed(s.url, { staleMs: 150 });
  try {
    f.start();
    await until("data after two losses", () => seen.frames.includes("data 3"));
    assert.deepEqual(seen.lost, ["drop", "stale"]);
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("a connection that never delivered reports no loss", async () => {
  const s = await server((n, ws) => (n === 1 ? ws.terminate() : stream(ws, n)));
  const { f, seen } = feed(s.url);
  try {
    f.start();
    await until("data", () => seen.frames.includes("data 2"));
    assert.deepEqual(seen.lost, []);
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("an old connection with frames still in flight: all of them come before the new connection's first", async () => {
  let first: WebSocket | undefined;
  const s = await server((n, ws) => {
    if (n === 1) {
      first = ws;
      ws.send("data 1 #0");
      return;
    }
    // The new connection opens: the old one still has a burst to deliver, the new one answers at once.
    for (let i = 1; i <= 500; i++) first!.send(`data 1 #${i}`);
    ws.send("data 2 #0");
    stream(ws, n);
  });
  const { f, seen } = feed(s.url, { maxConnectionMs: 100 });
  try {
    f.start();
    await until("the roll-over", () => seen.rolled.length === 1);
    await until("the old connection's last frame", () => seen.frames.includes("data 1 #500"));
    await until("the new connection's frames", () => seen.frames.includes("data 2 #0"));
    const firstNew = seen.frames.indexOf("data 2 #0");
    const old = seen.frames.filter((t) => t.startsWith("data 1"));
    assert.equal(old.length, 501, "every frame of the old connection");
    assert.ok(seen.frames.lastIndexOf("data 1 #500") < firstNew, "all before the new connection's first");
  } finally {
    await f.stop();
    await s.stop();
  }
});

test("a handshake refused for the location says how Binance.US users connect; other errors get no hint", () => {
  assert.match(handshakeHint("Unexpected server response: 451") ?? "", /stream\.binance\.us/);
  assert.match(handshakeHint("Unexpected server response: 403") ?? "", /BINANCE_WS_URL/);
  assert.equal(handshakeHint("connect ECONNREFUSED 127.0.0.1:9443"), undefined);
  assert.equal(handshakeHint("Unexpected server response: 503"), undefined);
});
