/**
 * From frames to published batches: classifies each frame, keeps the matching
 * posts (and the deletes asked for) in arrival order, publishes them every
 * batch interval or batch size, oldest first, and stores the cursor once a
 * publish resolved. Decides where a (re)connection resumes: the newest frame
 * handled minus the rewind, with posts already taken dropped by did/rkey and
 * frames older than the cursor asked for dropped outright (servers may replay
 * more than asked: bluesky-social/jetstream issue 343).
 *
 * A publish that fails is retried with backoff, the same bytes, until it goes
 * through: nothing is lost and the cursor never passes a post not yet out.
 * While too many posts wait, the feed stops reading (back-pressure to TCP).
 */
import type { Counter, Gauge, Logger, Rejections, StandardMetrics } from "@cryptostream/common";
import { type BackoffPolicy, backoffDelay } from "@cryptostream/common/retry/backoff";
import { type Pending, takeBatch } from "./posts/batch.js";
import { classifyFrame } from "./posts/frame.js";
import { postKey } from "./posts/post-id.js";
import { RecentKeys } from "./posts/recent-keys.js";
import type { TermMatcher } from "./posts/terms.js";
import {
  type DeleteItem,
  deleteItem,
  deletesEnvelope,
  type DeletesEnvelope,
  postsEnvelope,
  type PostsEnvelope,
  toTweetItem,
  type TweetItem,
} from "./posts/tweet-item.js";
import type { CursorState } from "./state/cursor-store.js";

/** Keys of posts published this long before the cursor are saved with it (a restart rewinds into them). */
const SAVED_KEYS_MAX = 20_000;

/** A bounded set of metric labels for frames that only move time (servers may invent kinds). */
function frameLabel(what: string): string {
  if (what.startsWith("commit:")) return "other_collection";
  return what === "identity" || what === "account" || what === "post_update" ? what : "unknown_kind";
}

export interface PipelineMetrics {
  readonly std: StandardMetrics;
  readonly rejections: Rejections;
  /** Posts seen, by outcome: matched, no_match, lang_filtered, duplicate. */
  readonly posts: Counter;
  /** Frames skipped before the posts stage: before_cursor, post_update, commit:<collection>, identity, account. */
  readonly frames: Counter;
  readonly deletesPublished: Counter;
  /** Transport messages published (batches of posts, batches of deletes). */
  readonly batches: Counter;
  readonly cursorLag: Gauge;
  readonly pending: Gauge;
}

export interface PipelineDeps {
  readonly encode: (body: PostsEnvelope | DeletesEnvelope) => Buffer;
  /** Resolves once the transport took the message. */
  readonly send: (value: Buffer) => Promise<void>;
  readonly store: { save(state: CursorState): Promise<void> };
  readonly feed: { pause(): void; resume(): void };
  readonly log: Logger;
  readonly metrics: PipelineMetrics;
}

export interface PipelineOptions {
  readonly matcher: TermMatcher;
  readonly langOk: (langs: readonly string[]) => boolean;
  readonly batchMs: number;
  readonly batchMax: number;
  readonly rewindUs: number;
  readonly dedupePosts: number;
  readonly deletes: "published" | "all" | "off";
  readonly maxPending: number;
  readonly publishBackoff: BackoffPolicy;
  /** The stored state (undefined: start live). */
  readonly initial: CursorState | undefined;
}

export class PostPipeline {
  private readonly recent: RecentKeys;
  private pending: Array<Pending<TweetItem>> = [];
  private pendingDeletes: DeleteItem[] = [];
  /** Stored cursor: every frame up to it is handled and what matched is published. */
  private committedUs: number | undefined;
  /** Newest frame handled (in memory). */
  private seenUs: number | undefined;
  /** Frames older than the cursor of the current connection are replays beyond what was asked. */
  private floorUs = 0;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;
  lastFrameAtMs: number | undefined;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly o: PipelineOptions,
  ) {
    this.recent = new RecentKeys(o.dedupePosts);
    if (o.initial) {
      this.committedUs = this.seenUs = o.initial.cursorUs;
      for (const [k, t] of o.initial.recent) this.recent.add(k, t);
    }
  }

  get cursorUs(): number | undefined {
    return this.committedUs;
  }

  get pendingCount(): number {
    return this.pending.length + this.pendingDeletes.length;
  }

  /** Where the next connection starts (and below which frames are dropped): undefined = live. */
  resumeCursor(): number | undefined {
    const from = this.seenUs;
    const at = from === undefined ? undefined : Math.max(1, from - this.o.rewindUs);
    this.floorUs = at ?? 0;
    return at;
  }

  start(): void {
    this.loop ??= this.run();
  }

  frame(text: string): void {
    const { metrics, log } = this.deps;
    metrics.std.messagesIn.inc();
    this.lastFrameAtMs = Date.now();
    const f = classifyFrame(text);
    if (f.kind === "malformed")
      return metrics.rejections.reject("malformed_frame", `${f.reason}: ${text.slice(0, 200)}`);
    if (f.timeUs < this.floorUs) return metrics.frames.inc({ kind: "before_cursor" });
    if (this.seenUs === undefined || f.timeUs > this.seenUs) this.seenUs = f.timeUs;
    metrics.std.lastEventTime.set(f.timeUs / 1e6);
    if (f.kind === "other") return metrics.frames.inc({ kind: frameLabel(f.what) });
    const key = postKey(f.did, f.rkey);
    if (f.kind === "post_delete") {
      const wanted = this.o.deletes === "all" || (this.o.deletes === "published" && this.recent.has(key));
      if (!wanted || this.recent.has(`delete:${key}`)) return metrics.frames.inc({ kind: "post_delete_skipped" });
      this.recent.add(`delete:${key}`, f.timeUs);
      this.pendingDeletes.push(deleteItem(f.did, f.rkey, f.timeUs));
    } else {
      if (!this.o.langOk(f.langs)) return metrics.posts.inc({ outcome: "lang_filtered" });
      if (this.o.matcher(f.text) === undefined) return metrics.posts.inc({ outcome: "no_match" });
      if (this.recent.has(key)) return metrics.posts.inc({ outcome: "duplicate" });
      this.recent.add(key, f.timeUs);
      metrics.posts.inc({ outcome: "matched" });
      this.pending.push({ timeUs: f.timeUs, item: toTweetItem(f) });
      if (this.pending.length >= this.o.batchMax) this.wake?.();
    }
    metrics.pending.set(this.pendingCount);
    if (!this.paused && this.pendingCount >= this.o.maxPending) {
      this.paused = true;
      log.warn("publishing is behind; pausing the feed", { pending: this.pendingCount });
      this.deps.feed.pause();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.pending.length >= this.o.batchMax ? 0 : this.o.batchMs);
        this.wake = () => (clearTimeout(t), resolve());
      });
      this.wake = undefined;
      await this.flushOnce();
    }
  }

  /**
   * Publishes one batch (posts, then deletes) and stores the cursor it covers.
   * False when stopping cut a publish short: what it held goes back in front.
   */
  private async flushOnce(): Promise<boolean> {
    if (this.seenUs === undefined) return true;
    const { encode, metrics, log } = this.deps;
    const before = this.pending.slice(0, this.o.batchMax);
    const batch = takeBatch(this.pending, this.o.batchMax, this.seenUs, this.committedUs ?? 0);
    const deletes = this.pendingDeletes.splice(0);
    const giveBack = (posts: typeof before, dels: DeleteItem[]): false => {
      this.pending = posts.concat(this.pending);
      this.pendingDeletes = dels.concat(this.pendingDeletes);
      return false;
    };
    if (batch.items.length > 0) {
      if (!(await this.publish(encode(postsEnvelope(batch.items)), "posts"))) return giveBack(before, deletes);
      metrics.std.messagesOut.inc(undefined, batch.items.length);
    }
    if (deletes.length > 0) {
      if (!(await this.publish(encode(deletesEnvelope(deletes)), "deletes"))) return giveBack([], deletes);
      metrics.deletesPublished.inc(undefined, deletes.length);
    }
    if (this.paused && this.pendingCount < this.o.maxPending / 2) {
      this.paused = false;
      log.info("publishing caught up; resuming the feed", { pending: this.pendingCount });
      this.deps.feed.resume();
    }
    metrics.pending.set(this.pendingCount);
    if (batch.coveredUs > (this.committedUs ?? 0)) await this.commit(batch.coveredUs);
    metrics.cursorLag.set(this.committedUs === undefined ? 0 : Math.max(0, Date.now() / 1000 - this.committedUs / 1e6));
    return true;
  }

  private async commit(cursorUs: number): Promise<void> {
    // Only keys at or before the cursor: a post after it may still wait, and must come again after a crash.
    const recent = this.recent.between(cursorUs - 2 * this.o.rewindUs - 1_000_000, cursorUs, SAVED_KEYS_MAX);
    try {
      await this.deps.store.save({ cursorUs, recent });
      this.committedUs = cursorUs;
    } catch (err) {
      // The next flush tries again; meanwhile a restart would only rewind further.
      this.deps.log.warn("cannot store the cursor", { error: (err as Error).message });
    }
  }

  /** Sends until the transport takes it; false when stopping cut it short. */
  private async publish(value: Buffer, what: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.send(value);
        this.deps.metrics.batches.inc({ what });
        if (attempt > 0) this.deps.log.info("publish succeeded again", { what, attempts: attempt + 1 });
        return true;
      } catch (err) {
        const wait = backoffDelay(this.o.publishBackoff, attempt);
        this.deps.log.warn("publish failed; retrying", { what, error: (err as Error).message, retryInMs: wait });
        if (this.stopping && attempt >= 3) return false;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Stops the loop and publishes what waits, for at most `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const drain = (async () => {
      await this.loop;
      while (await this.flushOnce()) if (this.pendingCount === 0) break;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      drain.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut)
      this.deps.log.warn("stopped with posts not handed to the transport (the stored cursor replays them)", {
        pending: this.pendingCount,
      });
  }
}
