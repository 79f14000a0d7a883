import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import { silentLogger } from "@cryptostream/common";
import { JetstreamFeed } from "@cryptostream/bluesky-producer/feed/jetstream-feed";
import { startJetstreamSimulator } from "@cryptostream/jetstream-simulator/simulator";
import { until } from "./fakes.js";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("fails over past a dead instance, resumes from the cursor it is given after a drop and after silence", async () => {
  const sim = await startJetstreamSimulator({ eventsPerSecond: 0, initialEvents: 20, seed: 11 });
  const frames: Array<{ time_us: number; commit?: { collection: string } }> = [];
  let cursor: number | undefined;
  const feed = new JetstreamFeed(
    {
      baseUrls: [`ws://127.0.0.1:${await closedPort()}`, sim.url],
      backoff: { baseMs: 20, maxMs: 50, floorMs: 5 },
      staleMs: 300,
      handshakeTimeoutMs: 2000,
    },
    {
      frame: (t) => frames.push(JSON.parse(t) as (typeof frames)[number]),
      cursor: () => cursor,
    },
    silentLogger,
  );
  try {
    feed.start();
    await until("connected to the live instance", () => feed.isConnected(), 5000);
    assert.equal(feed.currentUrl, sim.url);
    assert.ok(feed.reconnects >= 1, "the dead instance counted as a failure");
    sim.generate(50);
    await until("frames", () => frames.length > 0);
    assert.ok(
      frames.every((f) => !f.commit || f.commit.collection === "app.bsky.feed.post"),
      "posts only",
    );

    cursor = sim.events()[5]!.timeUs;
    const before = sim.stats().connectionsTotal;
    sim.dropConnections();
    await until("reconnected after the drop", () => sim.stats().connectionsTotal > before && feed.isConnected(), 5000);
    assert.equal(sim.stats().cursors.at(-1), cursor, "subscribed with the cursor");

    const n = sim.stats().connectionsTotal;
    sim.silence(1200);
    await until("the watchdog to reconnect", () => sim.stats().connectionsTotal > n, 5000);
  } finally {
    await feed.stop();
    await sim.stop();
  }
  assert.equal(feed.isConnected(), false);
});
