import { authorPool, type Author } from "./corpus/authors.js";
import { composeTweet, type ComposedTweet, type PublicMetrics } from "./corpus/compose.js";
import type { Sentiment } from "./corpus/template.js";
import { hashSeed } from "./prng.js";
import { SnowflakeMinter } from "./snowflake.js";
import type { SimTweet } from "./tweet.js";

export interface StoreOptions {
  readonly seed: string | number;
  /** Tweets that already exist when the simulator starts (spaced in the past). */
  readonly initialTweets: number;
  /** New tweets per second after start; 0 freezes the stream. */
  readonly tweetsPerSecond: number;
  /** At most this many tweets are kept; older ones fall out of search. */
  readonly historySize: number;
  readonly now: () => number;
}

/** A tweet added through the control API instead of the seeded stream. */
export interface CustomTweet {
  text: string;
  lang?: string;
  author_id?: string;
  username?: string;
  is_retweet?: boolean;
  sentiment?: Sentiment;
  public_metrics?: Partial<PublicMetrics>;
}

/**
 * The simulator's tweets, oldest first. Scheduled tweets are materialised
 * lazily (on every `sync`), each at its scheduled time, so the content and
 * timing depend only on the seed and the clock, never on request timing.
 */
export class TweetStore {
  readonly seedHash: number;
  readonly authors: readonly Author[];
  private readonly minter: SnowflakeMinter;
  private readonly startMs: number;
  private readonly spacingMs: number;
  private tweets: SimTweet[] = [];
  private nextStreamIndex = 0;
  private scheduledDone = 0;
  private lastMs = 0;
  private dropped = 0;
  private skipped = 0;
  private created = 0;

  constructor(private readonly opts: StoreOptions) {
    this.seedHash = hashSeed(opts.seed);
    this.authors = authorPool(this.seedHash);
    this.minter = new SnowflakeMinter(this.seedHash & 0x3ff);
    this.startMs = opts.now();
    this.spacingMs = opts.tweetsPerSecond > 0 ? 1000 / opts.tweetsPerSecond : 1000;
    const n = opts.initialTweets;
    for (let i = 0; i < n; i++) this.appendFromStream(this.startMs - (n - i) * this.spacingMs);
    this.trim();
  }

  /** Materialises every scheduled tweet whose time has come. */
  sync(): void {
    if (this.opts.tweetsPerSecond <= 0) return;
    const due = Math.floor(((this.opts.now() - this.startMs) * this.opts.tweetsPerSecond) / 1000);
    // After a long idle period only the newest historySize tweets can survive: skip the rest.
    const skip = Math.max(0, due - this.scheduledDone - this.opts.historySize);
    this.scheduledDone += skip;
    this.nextStreamIndex += skip;
    this.skipped += skip;
    while (this.scheduledDone < due) {
      this.scheduledDone++;
      this.appendFromStream(this.startMs + this.scheduledDone * this.spacingMs);
    }
    this.trim();
  }

  /** Adds `count` tweets from the seeded stream right now (for frozen-clock tests). */
  generateNow(count: number): SimTweet[] {
    this.sync();
    const out: SimTweet[] = [];
    for (let i = 0; i < count; i++) out.push(this.appendFromStream(this.opts.now()));
    this.trim();
    return out;
  }

  addCustom(c: CustomTweet): SimTweet {
    this.sync();
    const author: Author = {
      id: c.author_id ?? this.authors[0]?.id ?? "12",
      username: c.username ?? this.authors[0]?.username ?? "sim_user",
      name: "Simulated User",
    };
    const metrics: PublicMetrics = {
      retweet_count: 0,
      reply_count: 0,
      like_count: 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: 0,
      ...c.public_metrics,
    };
    const composed: ComposedTweet = {
      text: c.text,
      lang: c.lang ?? "en",
      sentiment: c.sentiment ?? "neutral",
      author,
      isRetweet: c.is_retweet ?? c.text.startsWith("RT @"),
      publicMetrics: metrics,
      possiblySensitive: false,
    };
    const t = this.append(composed, this.opts.now(), null);
    this.trim();
    return t;
  }

  /** All tweets currently held, oldest first. Call sync() first for an up-to-date view. */
  all(): readonly SimTweet[] {
    return this.tweets;
  }

  /** created: materialised; held: in history; dropped: fell out of history; skipped: never materialised (idle gap). */
  counts(): { created: number; held: number; dropped: number; skipped: number } {
    return { created: this.created, held: this.tweets.length, dropped: this.dropped, skipped: this.skipped };
  }

  private appendFromStream(atMs: number): SimTweet {
    const index = this.nextStreamIndex++;
    return this.append(composeTweet(this.seedHash, index, this.authors), atMs, index);
  }

  private append(c: ComposedTweet, atMs: number, streamIndex: number | null): SimTweet {
    const ms = Math.max(Math.floor(atMs), this.lastMs);
    this.lastMs = ms;
    const idNum = this.minter.mint(ms);
    const id = idNum.toString();
    // Retweeted and replied-to tweets are older than this one and not in the store.
    const olderId = (idNum - (BigInt(1 + (Number(idNum % 997n) + 1) * 3_600) << 22n)).toString();
    const referencedTweets = c.isRetweet
      ? [{ type: "retweeted" as const, id: olderId }]
      : c.inReplyTo
        ? [{ type: "replied_to" as const, id: olderId }]
        : undefined;
    const tweet: SimTweet = {
      id,
      idNum,
      createdAtMs: ms,
      createdAt: new Date(ms).toISOString(),
      text: c.text,
      lang: c.lang,
      sentiment: c.sentiment,
      author: c.author,
      authorId: c.author.id,
      authorUsername: c.author.username,
      isRetweet: c.isRetweet,
      isReply: c.inReplyTo !== undefined,
      inReplyToUserId: c.inReplyTo?.id,
      inReplyToUsername: c.inReplyTo?.username,
      retweetOfUsername: c.retweetOf?.username,
      conversationId: c.inReplyTo ? olderId : id,
      referencedTweets,
      publicMetrics: c.publicMetrics,
      possiblySensitive: c.possiblySensitive,
      streamIndex,
    };
    this.tweets.push(tweet);
    this.created++;
    return tweet;
  }

  private trim(): void {
    const excess = this.tweets.length - this.opts.historySize;
    if (excess > 0) {
      this.tweets.splice(0, excess);
      this.dropped += excess;
    }
  }
}
