/**
 * The binance-producer against the simulator's fault modes, with a real
 * ZeroMQ PULL socket on the other side: it rolls over on serverShutdown and at
 * its connection age limit, and it rides out the server going away entirely.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as zmq from "zeromq";
import { startBinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { freePort, ServiceProcess, sleep, waitFor } from "../support/service-process.js";

async function pullCounter(endpoint: string) {
  const sock = new zmq.Pull();
  sock.connect(endpoint);
  const state = { count: 0, closed: false, symbols: new Set<string>() };
  void (async () => {
    try {
      for await (const frames of sock) {
        for (const f of frames) {
          state.count++;
          state.symbols.add((JSON.parse(f.toString()) as { data: { s: string } }).data.s);
        }
      }
    } catch {
      // closed
    }
  })();
  return { state, close: () => sock.close() };
}

test("serverShutdown and the connection age limit each cause a logged reconnect, and data keeps flowing", async () => {
  const sim = await startBinanceSimulator({
    port: 0,
    intervalMs: 100,
    serverShutdownAfterMs: 1_500,
    serverShutdownGraceMs: 300,
    pingIntervalMs: 500,
  });
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const pull = await pullCounter(endpoint);
  const producer = new ServiceProcess("binance-producer", {
    BINANCE_WS_URL: sim.url,
    ZMQ_BIND: endpoint,
    BINANCE_MAX_CONNECTION_SECONDS: "3",
  });
  try {
    await waitFor(
      "two reconnects",
      async () => ((await producer.metric("pipeline_reconnects_total")) >= 2 ? true : undefined),
      20_000,
    );
    const rollovers = producer.logs.filter((l) => l.msg === "rolling connection over").map((l) => l.reason);
    assert.ok(
      rollovers.includes("server announced shutdown"),
      `rolled over on serverShutdown: ${JSON.stringify(rollovers)}`,
    );
    const reconnected = producer.logs.filter((l) => l.msg === "reconnected");
    assert.ok(
      reconnected.every((l) => typeof l.gapMs === "number"),
      "each reconnect logs the gap it caused",
    );
    const before = pull.state.count;
    await sleep(1_000);
    assert.ok(pull.state.count > before, "events keep arriving after the reconnects");
    assert.equal(pull.state.symbols.size, 7, "every default symbol is subscribed");
    assert.equal(await producer.stop(), 0);
  } finally {
    await producer.stop("SIGKILL");
    pull.close();
    await sim.stop();
  }
});

test("the producer never exits while the server is gone, and resumes when it is back", async () => {
  const port = await freePort();
  let sim = await startBinanceSimulator({ port, intervalMs: 100 });
  const endpoint = `tcp://127.0.0.1:${await freePort()}`;
  const pull = await pullCounter(endpoint);
  const producer = new ServiceProcess("binance-producer", {
    BINANCE_WS_URL: sim.url,
    ZMQ_BIND: endpoint,
    BINANCE_RECONNECT_BASE_MS: "100",
    BINANCE_RECONNECT_MAX_MS: "1000",
  });
  try {
    await waitFor("first events", () => (pull.state.count > 0 ? true : undefined), 15_000);
    await sim.stop();
    await sleep(3_000); // several failed attempts
    assert.equal(producer.exitCode, undefined, "still running");
    const health = await producer.health();
    assert.equal(health.status, 503, "reports unhealthy while disconnected");
    const countWhileDown = pull.state.count;
    sim = await startBinanceSimulator({ port, intervalMs: 100 });
    await waitFor(
      "events after the server came back",
      () => (pull.state.count > countWhileDown ? true : undefined),
      15_000,
    );
    assert.ok(producer.logs.some((l) => l.msg === "disconnected; will reconnect"));
    assert.equal((await producer.health()).status, 200);
    assert.equal(await producer.stop(), 0);
  } finally {
    await producer.stop("SIGKILL");
    pull.close();
    await sim.stop();
  }
});
