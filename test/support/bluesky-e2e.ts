/**
 * The Bluesky end-to-end scenario, over either transport: the Jetstream
 * simulator (in this process), the real bluesky-producer and twitter-processor
 * as separate processes, a dropped connection, a producer restart from its
 * stored cursor, deletes, and Debian's h5py reading the file back
 * (check_twitter.py) against the simulator's ground truth: every post that
 * mentions the default terms once with its exact text (blank once deleted
 * upstream, with a /deletes row), source "bluesky" and its at:// uri, no other
 * post, and per-source /sentiment windows that add up to the stored posts.
 *
 * The producers run with BLUESKY_DELETES=all, so that which deletes reach the
 * processor follows from the simulator's events alone (with "published" it
 * depends on each producer's in-memory recent set); deletes of posts the
 * processor does not hold are then counted as unknown.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { postId, postUri } from "@cryptostream/bluesky-producer/posts/post-id";
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
      BLUESKY_DELETES: "all",
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
  source: "bluesky";
  uri: string;
}

/**
 * The posts the simulator sent that mention the default terms (its ground truth), as /tweets
 * must hold them, and the ids of those among them deleted since (their text must be gone).
 */
export function expectedPosts(sim: JetstreamSimulator): { matching: Expected[]; other: number; deleted: string[] } {
  const matching: Expected[] = [];
  let other = 0;
  const deletedKeys = new Set<string>();
  for (const e of sim.events())
    if (e.kind === "post_delete" && e.frame.kind === "commit")
      deletedKeys.add(postId(e.frame.did, e.frame.commit.rkey));
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
      // The DID whole (author_id is wide enough for any DID Bluesky uses).
      author_id: e.frame.did,
      lang: r.langs?.[0] ?? "",
      source: "bluesky",
      uri: postUri(e.frame.did, e.frame.commit.rkey),
    });
  }
  return { matching, other, deleted: matching.filter((m) => deletedKeys.has(m.id)).map((m) => m.id) };
}

/** The processor's delete outcomes (twitter_deletes_total). */
export async function deleteOutcomes(p: ServiceProcess): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const o of ["pending", "stored", "unknown", "repeat"])
    out[o] = await p.metric("twitter_deletes_total", `outcome="${o}"`);
  return out;
}

/** Waits until a producer has published everything up to the simulator's newest event. */
export async function publishedAll(sim: JetstreamSimulator, producer: ServiceProcess): Promise<void> {
  // Likes, reposts and follows are other collections: the producer does not subscribe to them.
  const newest = Math.max(
    ...sim
      .events()
      .filter((e) => !["like", "repost", "follow"].includes(e.kind))
      .map((e) => e.timeUs),
  );
  let last: unknown;
  await waitFor(
    `${producer.name} to publish everything up to ${newest}`,
    async () => {
      const h = (await producer.health()).body as { cursor: number | null; pending: number };
      last = h;
      return (h.cursor ?? 0) >= newest && h.pending === 0 ? true : undefined;
    },
    30_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; its health said ${JSON.stringify(last)}`);
  });
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
  /** Runs after the file was checked, with what it must hold (Kafka: a replay of the whole topic into it). */
  readonly afterCheck?: (run: FinishedRun) => Promise<unknown>;
}

export interface FinishedRun {
  readonly h5: string;
  readonly matching: readonly Expected[];
  readonly deleted: readonly string[];
  readonly check: TwitterCheck;
}

export interface ScenarioResult {
  check: TwitterCheck;
  matching: number;
  other: number;
  /** Matching posts deleted upstream. */
  deleted: number;
  deleteOutcomes: Record<string, number>;
  duplicatesDroppedByProducers: number;
  beforeCursorDropped: number;
  deletesPublished: number;
  processorRejects: Record<string, number>;
  cursors: Array<number | null>;
}

/**
 * Feeds the simulator in steps, drops every connection once, restarts the
 * producer (SIGTERM, then a new process on the same state file) while posts
 * keep coming, and the processor (SIGTERM, then a new process on the same
 * file) in between, deletes some published posts (one of them stored by the
 * processor's first run), then checks the file.
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
    const startProcessor = () => track(startTwitterProcessor(o.endpoint, h5, { ...o.transportEnv, ...o.processorEnv }));
    const firstProcessor = startProcessor();
    await o.processorReady(firstProcessor);
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

    // The processor restarts too: later deletes reach posts its first run stored (read back from the file).
    await waitFor(
      "the first processor to take what the first producer published",
      async () => (await firstProcessor.metric("pipeline_messages_in_total")) >= totals(first).messages || undefined,
      30_000,
    );
    await sleep(500);
    const before = {
      outcomes: await deleteOutcomes(firstProcessor),
      duplicate: await firstProcessor.metric("pipeline_rejects_total", 'reason="duplicate"'),
      noData: await firstProcessor.metric("pipeline_rejects_total", 'reason="no_data"'),
    };
    assert.equal(await firstProcessor.stop("SIGTERM"), 0);
    const processor = startProcessor();
    await o.processorReady(processor);
    const stillThere = expectedPosts(sim);
    const old = stillThere.matching.find((m) => !stillThere.deleted.includes(m.id))!;
    const oldEvent = sim
      .events()
      .find(
        (e) => e.kind === "post" && e.frame.kind === "commit" && postUri(e.frame.did, e.frame.commit.rkey) === old.uri,
      )!;
    sim.deletePost({ did: oldEvent.frame.did, rkey: (oldEvent.frame as { commit: { rkey: string } }).commit.rkey });

    // Posts keep coming while no producer runs; the next one replays them from the cursor.
    await step(4);
    for (const t of AWKWARD_TEXTS.slice(5)) sim.addPost({ text: t.text, langs: [t.lang ?? "en"], crypto: true });
    const second = track(startBlueskyProducer(sim.url, o.endpoint, state, o.transportEnv));
    await second.waitForLog((l) => l.msg === "resuming from the stored cursor");
    await step(6);
    // Deletes of recent published posts, some while still pending in the processor.
    const toDelete = sim
      .events()
      .filter((e) => e.kind === "post" && e.crypto === true && e.frame.kind === "commit")
      // Recent ones: with BLUESKY_DELETES=published the producer knows the posts of its recent set.
      .slice(-3);
    for (const e of toDelete)
      sim.deletePost({ did: e.frame.did, rkey: (e.frame as { commit: { rkey: string } }).commit.rkey });
    await step(2);
    const { matching, other, deleted } = expectedPosts(sim);
    await waitFor(
      "the second producer to publish the rest",
      async () => publishedFirst + (await published(second)) >= matching.length || undefined,
      30_000,
    );
    await publishedAll(sim, second);
    const dupSecond = await second.metric("bluesky_posts_total", 'outcome="duplicate"');
    const beforeCursor = await second.metric("bluesky_frames_skipped_total", 'kind="before_cursor"');
    assert.equal(await second.stop("SIGTERM"), 0);
    const t2 = totals(second);
    const deletesPublished = t2.deletes;
    assert.equal(publishedFirst + t2.posts, matching.length, "no post published twice");
    await waitFor(
      "the processor to take every message the second producer published",
      async () => ((await processor.metric("pipeline_messages_in_total")) >= t2.messages ? true : undefined),
      30_000,
    );
    await sleep(500);
    const rejects = {
      duplicate: before.duplicate + (await processor.metric("pipeline_rejects_total", 'reason="duplicate"')),
      no_data: before.noData + (await processor.metric("pipeline_rejects_total", 'reason="no_data"')),
      bad_tweet: await processor.metric("pipeline_rejects_total", 'reason="bad_tweet"'),
      bad_delete: await processor.metric("pipeline_rejects_total", 'reason="bad_delete"'),
    };
    const after = await deleteOutcomes(processor);
    assert.ok(after.stored! >= 1, "the restarted processor blanked a post its first run had stored");
    const outcomes = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v + before.outcomes[k]!]));
    assert.equal((await processor.health()).status, 200);
    await o.beforeProcessorStop?.(processor);
    assert.equal(await processor.stop("SIGTERM"), 0);
    for (const p of procs) assert.deepEqual(p.stdoutNoise, [], `${p.name}: nothing but JSON logs on stdout`);
    const check = checkServedFile(o.dir, h5, matching, o.name, deleted);
    assert.equal(check.tweets, matching.length);
    assert.equal(check.sentiment_total, check.on_time, "/sentiment counts sum to the on-time posts");
    assert.deepEqual(check.sources, { bluesky: matching.length }, "every row's source is bluesky");
    assert.deepEqual(Object.keys(check.sentiment_by_source), ["bluesky"], "the windows are Bluesky's");
    assert.equal(check.sentiment_by_source.bluesky!.count, check.on_time);
    assert.ok(deleted.length >= 3, `matching posts were deleted upstream (${deleted.length})`);
    assert.equal(check.deleted_blank, deleted.length, "every deleted post's text is gone");
    assert.equal(check.deletes_rows, deleted.length, "one /deletes row per deleted post");
    assert.equal(outcomes.pending! + outcomes.stored!, deleted.length, "each delete applied once");
    assert.ok(outcomes.unknown! > 0, "deletes of posts never stored are counted, not stored");
    assert.ok(other > 20, `posts without the terms were sent too (${other})`);
    assert.equal(rejects.duplicate, 0, "the producers never sent a post twice");
    assert.equal(rejects.bad_tweet, 0);
    const deleteMessages = totals(first).deleteMessages + t2.deleteMessages;
    assert.ok(deleteMessages >= 1);
    assert.ok(beforeCursor > 0, "frames the server replayed from before the cursor asked for were dropped");
    assert.deepEqual([rejects.no_data, rejects.bad_delete], [0, 0], "delete envelopes are taken, not rejected");
    await o.afterCheck?.({ h5, matching, deleted, check });
    return {
      check,
      matching: matching.length,
      other,
      deleted: deleted.length,
      deleteOutcomes: outcomes,
      duplicatesDroppedByProducers: dupFirst + dupSecond,
      beforeCursorDropped: beforeCursor,
      deletesPublished,
      processorRejects: rejects,
      cursors: sim.stats().cursors,
    };
  } catch (err) {
    // What the services said, for the failure's diagnosis.
    for (const p of procs)
      console.log(
        `# ${p.name} (exit ${p.exitCode}): ${JSON.stringify(p.logs.filter((l) => l.level !== "info").slice(-10))} ${p.stderr.slice(-2000)}`,
      );
    throw err;
  } finally {
    for (const p of procs) await p.stop("SIGKILL");
    await sim.stop();
  }
}
