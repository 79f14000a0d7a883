/**
 * The Bluesky end-to-end scenario, over either transport: the Jetstream
 * simulator (in this process), the real bluesky-producer and twitter-processor
 * as separate processes, a dropped connection, a producer restart from its
 * stored cursor, deletes, and Debian's h5py reading the file back
 * (check_twitter.py) against the simulator's ground truth: every post that
 * mentions the default terms once with its exact text, no other post.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { postId } from "@cryptostream/bluesky-producer/posts/post-id";
import { type JetstreamSimulator, startJetstreamSimulator } from "@cryptostream/jetstream-simulator/simulator";
import { ServiceProcess, sleep, waitFor } from "./service-process.js";
import { AWKWARD_TEXTS, startTwitterProcessor } from "./twitter-e2e.js";
import { checkServedFile, type TwitterCheck } from "./twitter-kafka.js";

export function startBlueskyProducer(
  jetstreamUrl: string,
  bind: string,
  statePath: string,
  extra: Record<string, string> = {},
  /** Its own process group, so kill9 takes it down at once. */
  detached = false,
): ServiceProcess {
  return new ServiceProcess(
    "bluesky-producer",
    {
      BLUESKY_JETSTREAM_URLS: jetstreamUrl,
      BLUESKY_STATE_PATH: statePath,
      BLUESKY_BATCH_MS: "200",
      BLUESKY_STALE_SECONDS: "3",
      BLUESKY_RECONNECT_BASE_MS: "50",
      BLUESKY_RECONNECT_MAX_MS: "500",
      // Short, so that the simulator's cursor slack (20 s) replays frames from before the rewind too.
      BLUESKY_REWIND_SECONDS: "1",
      ZMQ_BIND: bind,
      ...extra,
    },
    { detached },
  );
}

/** A tweet as check_twitter.py expects the served list: what /tweets must hold for each matching post. */
interface Expected {
  id: string;
  text: string;
  created_at: string;
  author_id: string;
  lang: string;
}

/** The posts the simulator sent that mention the default terms (its ground truth), as /tweets must hold them. */
export function expectedPosts(sim: JetstreamSimulator): { matching: Expected[]; other: number } {
  const matching: Expected[] = [];
  let other = 0;
  for (const e of sim.events()) {
    if (e.kind !== "post" || e.frame.kind !== "commit") continue;
    if (e.crypto !== true) {
      other++;
      continue;
    }
    const r = e.frame.commit.record as { text: string; createdAt?: string; langs?: string[] };
    matching.push({
      id: postId(e.frame.did, e.frame.commit.rkey),
      text: r.text,
      // The generator never dates a post after the server saw it; without createdAt, time_us.
      created_at: r.createdAt ?? new Date(Math.floor(e.timeUs / 1000)).toISOString(),
      // /tweets keeps author_id in 24 bytes (S24): the DID's first 24 characters.
      author_id: e.frame.did.slice(0, 24),
      lang: r.langs?.[0] ?? "",
    });
  }
  return { matching, other };
}

/** Posts a running producer published so far. */
const published = (p: ServiceProcess): Promise<number> => p.metric("pipeline_messages_out_total");

/** What a stopped producer published in its run (its last log line). */
interface Totals {
  messages: number;
  posts: number;
  deletes: number;
  deleteMessages: number;
}
function totals(p: ServiceProcess): Totals {
  const l = p.logs.find((x) => x.msg === "published in this run");
  assert.ok(l, `${p.name} logged its totals`);
  return l as unknown as Totals;
}

export interface ScenarioOptions {
  readonly dir: string;
  readonly name: string;
  readonly seed: number;
  /** Transport variables for both services (empty: ZeroMQ on `endpoint`). */
  readonly transportEnv: Record<string, string>;
  readonly processorEnv?: Record<string, string>;
  readonly endpoint: string;
  /** Resolves once the processor takes input (ZeroMQ: started; Kafka: joined its group). */
  readonly processorReady: (p: ServiceProcess) => Promise<unknown>;
  /** Waits before the processor stops (Kafka: every window closed and committed; a graceful stop writes no partial ones). */
  readonly beforeProcessorStop?: (p: ServiceProcess) => Promise<unknown>;
}

export interface ScenarioResult {
  check: TwitterCheck;
  matching: number;
  other: number;
  duplicatesDroppedByProducers: number;
  beforeCursorDropped: number;
  deletesPublished: number;
  processorRejects: Record<string, number>;
  cursors: Array<number | null>;
}

/**
 * Feeds the simulator in steps, drops every connection once, restarts the
 * producer (SIGTERM, then a new process on the same state file) while posts
 * keep coming, deletes some published posts, then checks the file.
 */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  // The cursor slack exercises the producer's answer to servers that replay more than asked.
  const sim = await startJetstreamSimulator({
    eventsPerSecond: 0,
    initialEvents: 0,
    seed: o.seed,
    cursorSlackSeconds: 20,
  });
  const h5 = path.join(o.dir, `${o.name}.h5`);
  const state = path.join(o.dir, `${o.name}-state.json`);
  const procs: ServiceProcess[] = [];
  const track = (p: ServiceProcess) => (procs.push(p), p);
  try {
    const processor = track(startTwitterProcessor(o.endpoint, h5, { ...o.transportEnv, ...o.processorEnv }));
    await o.processorReady(processor);
    const first = track(startBlueskyProducer(sim.url, o.endpoint, state, o.transportEnv));
    await first.waitForLog((l) => l.msg === "connected");
    const step = async (n: number) => {
      for (let i = 0; i < n; i++) {
        sim.generate(25);
        await sleep(100);
      }
    };
    for (const t of AWKWARD_TEXTS.slice(0, 5)) sim.addPost({ text: t.text, langs: [t.lang ?? "en"], crypto: true });
    await step(6);
    assert.equal(sim.dropConnections(), 1, "the producer's connection is cut");
    await first.waitForLog((l) => l.msg === "reconnected");
    await step(6);
    await waitFor(
      "the first producer to publish every matching post so far",
      async () => (await published(first)) >= expectedPosts(sim).matching.length || undefined,
      30_000,
    );
    const dupFirst = await first.metric("bluesky_posts_total", 'outcome="duplicate"');
    assert.ok(dupFirst > 0, "the reconnect's rewind sent posts again and the producer dropped them");
    assert.equal(await first.stop("SIGTERM"), 0);
    const publishedFirst = totals(first).posts;
    assert.equal(publishedFirst, expectedPosts(sim).matching.length, "the first producer published each post once");
    assert.ok(fs.existsSync(state), "the cursor is stored");

    // Posts keep coming while no producer runs; the next one replays them from the cursor.
    await step(4);
    for (const t of AWKWARD_TEXTS.slice(5)) sim.addPost({ text: t.text, langs: [t.lang ?? "en"], crypto: true });
    const second = track(startBlueskyProducer(sim.url, o.endpoint, state, o.transportEnv));
    await second.waitForLog((l) => l.msg === "resuming from the stored cursor");
    await step(6);
    // Deletes of published posts: the producer publishes them, today's processor rejects them (no_data).
    const toDelete = sim
      .events()
      .filter((e) => e.kind === "post" && e.crypto === true && e.frame.kind === "commit")
      // Recent ones: with BLUESKY_DELETES=published the producer knows the posts of its recent set.
      .slice(-3);
    for (const e of toDelete)
      sim.deletePost({ did: e.frame.did, rkey: (e.frame as { commit: { rkey: string } }).commit.rkey });
    await step(2);
    const { matching, other } = expectedPosts(sim);
    await waitFor(
      "the second producer to publish the rest",
      async () => publishedFirst + (await published(second)) >= matching.length || undefined,
      30_000,
    );
    await waitFor(
      "the deletes to be published",
      async () => ((await second.metric("bluesky_deletes_published_total")) >= 1 ? true : undefined),
      10_000,
    );
    const dupSecond = await second.metric("bluesky_posts_total", 'outcome="duplicate"');
    const beforeCursor = await second.metric("bluesky_frames_skipped_total", 'kind="before_cursor"');
    assert.equal(await second.stop("SIGTERM"), 0);
    const t2 = totals(second);
    const deletesPublished = t2.deletes;
    assert.equal(publishedFirst + t2.posts, matching.length, "no post published twice");
    const sent = totals(first).messages + t2.messages;
    await waitFor(
      "the processor to take every message the producers published",
      async () => ((await processor.metric("pipeline_messages_in_total")) >= sent ? true : undefined),
      30_000,
    );
    await sleep(500);
    const rejects = {
      duplicate: await processor.metric("pipeline_rejects_total", 'reason="duplicate"'),
      no_data: await processor.metric("pipeline_rejects_total", 'reason="no_data"'),
      bad_tweet: await processor.metric("pipeline_rejects_total", 'reason="bad_tweet"'),
    };
    assert.equal((await processor.health()).status, 200);
    await o.beforeProcessorStop?.(processor);
    assert.equal(await processor.stop("SIGTERM"), 0);
    for (const p of procs) assert.deepEqual(p.stdoutNoise, [], `${p.name}: nothing but JSON logs on stdout`);
    const check = checkServedFile(o.dir, h5, matching, o.name);
    assert.equal(check.tweets, matching.length);
    assert.equal(check.sentiment_total, check.on_time, "/sentiment counts sum to the on-time posts");
    assert.ok(other > 20, `posts without the terms were sent too (${other})`);
    assert.equal(rejects.duplicate, 0, "the producers never sent a post twice");
    assert.equal(rejects.bad_tweet, 0);
    const deleteMessages = totals(first).deleteMessages + t2.deleteMessages;
    assert.ok(deleteMessages >= 1);
    assert.ok(beforeCursor > 0, "frames the server replayed from before the cursor asked for were dropped");
    assert.equal(rejects.no_data, deleteMessages, "each delete envelope is one counted no_data rejection");
    return {
      check,
      matching: matching.length,
      other,
      duplicatesDroppedByProducers: dupFirst + dupSecond,
      beforeCursorDropped: beforeCursor,
      deletesPublished,
      processorRejects: rejects,
      cursors: sim.stats().cursors,
    };
  } finally {
    for (const p of procs) await p.stop("SIGKILL");
    await sim.stop();
  }
}
