import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startBinanceSimulator } from "./simulator.js";

async function streamTrades(url: string, n: number): Promise<Array<Record<string, unknown>>> {
  const ws = new WebSocket(`${url}/stream?streams=btcusdt@aggTrade`);
  const got: Array<Record<string, unknown>> = [];
  await new Promise<void>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("message", (d) => {
      got.push((JSON.parse(d.toString()) as { data: Record<string, unknown> }).data);
      if (got.length === n) resolve();
    });
  });
  ws.terminate();
  return got;
}

test("GET /api/v3/aggTrades serves the same trades as the aggTrade stream, with weight headers", async () => {
  const sim = await startBinanceSimulator({ port: 0, symbols: ["btcusdt"], intervalMs: 5, pingIntervalMs: 0 });
  try {
    const streamed = await streamTrades(sim.url, 30);
    const res = await fetch(`${sim.restUrl}/api/v3/aggTrades?symbol=BTCUSDT&fromId=${streamed[0]!.a}&limit=30`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-mbx-used-weight-1m"), "4");
    const rest = (await res.json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      rest,
      streamed.map(({ a, p, q, f, l, T, m, M }) => ({ a, p, q, f, l, T, m, M })),
    );
    for (let i = 1; i < rest.length; i++) {
      assert.equal(rest[i]!.a, (rest[i - 1]!.a as number) + 1, "ids without holes");
      assert.equal(rest[i]!.f, (rest[i - 1]!.l as number) + 1, "f continues l");
      assert.ok((rest[i]!.T as number) >= (rest[i - 1]!.T as number));
    }
    const bad = await fetch(`${sim.restUrl}/api/v3/aggTrades?symbol=NOPE`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: number }).code, -1121);
  } finally {
    await sim.stop();
  }
});

test("every Nth request is answered 429 with Retry-After, and the weight limit is enforced", async () => {
  const sim = await startBinanceSimulator({
    port: 0,
    symbols: ["btcusdt"],
    pingIntervalMs: 0,
    rest429Every: 3,
    restRetryAfterS: 2,
    restWeightLimit: 20,
  });
  try {
    const statuses: Array<[number, string | null]> = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(`${sim.restUrl}/api/v3/aggTrades?symbol=BTCUSDT`);
      statuses.push([r.status, r.headers.get("retry-after")]);
      await r.arrayBuffer();
    }
    assert.deepEqual(
      statuses.slice(0, 3).map((s) => s[0]),
      [200, 200, 429],
    );
    assert.equal(statuses[2]![1], "2");
    assert.equal(statuses[6]![0], 429, "over 20 weight in the minute");
    assert.ok(Number(statuses[6]![1]) >= 1 && Number(statuses[6]![1]) <= 60, "Retry-After until the next minute");
    assert.equal(sim.stats().restRequests, 7);
  } finally {
    await sim.stop();
  }
});
