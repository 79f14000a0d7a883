import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startBinanceSimulator } from "./simulator.js";

interface Kline {
  t: number;
  T: number;
  f: number;
  L: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  q: string;
  n: number;
  V: string;
  Q: string;
  x: boolean;
}

test("kline_1s candles agree with the aggTrade stream's trades of the same second", async () => {
  const sim = await startBinanceSimulator({ port: 0, symbols: ["btcusdt"], intervalMs: 20, pingIntervalMs: 0 });
  const ws = new WebSocket(`${sim.url}/stream?streams=btcusdt@aggTrade/btcusdt@kline_1s`);
  const trades: Array<{ p: string; q: string; f: number; l: number; T: number; m: boolean }> = [];
  const closed: Kline[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      ws.on("error", reject);
      ws.on("message", (d) => {
        const msg = JSON.parse(d.toString()) as { stream: string; data: { k?: Kline } & (typeof trades)[number] };
        if (msg.stream.endsWith("@aggTrade")) trades.push(msg.data);
        else if (msg.data.k?.x) closed.push(msg.data.k);
        if (closed.length === 3) resolve();
      });
    });
    // The first closed kline may have started before the subscription: check the later ones.
    for (const k of closed.slice(1)) {
      const inside = trades.filter((t) => t.T >= k.t && t.T <= k.T);
      assert.ok(inside.length > 0, "trades in the second");
      const prices = inside.map((t) => Number(t.p));
      assert.equal(Number(k.o), prices[0]);
      assert.equal(Number(k.c), prices.at(-1));
      assert.equal(Number(k.h), Math.max(...prices));
      assert.equal(Number(k.l), Math.min(...prices));
      assert.equal(k.f, inside[0]!.f);
      assert.equal(k.L, inside.at(-1)!.l);
      assert.equal(
        k.n,
        inside.reduce((n, t) => n + t.l - t.f + 1, 0),
      );
      const v = inside.reduce((s, t) => s + Number(t.q), 0);
      const V = inside.filter((t) => !t.m).reduce((s, t) => s + Number(t.q), 0);
      assert.ok(Math.abs(Number(k.v) - v) < 1e-6 && Math.abs(Number(k.V) - V) < 1e-6, "volumes");
      assert.equal(k.T - k.t, 999);
    }
  } finally {
    ws.terminate();
    await sim.stop();
  }
});
