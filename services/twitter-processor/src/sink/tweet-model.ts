/**
 * The twitter-processor's part of the sink runtime: a pickled search
 * response becomes /tweets rows (each id once) and contributions to the
 * sentiment windows; closed windows become /sentiment rows; a restart reads
 * back the stored ids (with the log position of the message that carried
 * each) and which windows, or which log ranges of partial windows, the file
 * already counts.
 *
 * A tweet whose id is stored is a replay of the same message when it comes
 * from the same log position (its row is kept, its window counted again if
 * the file does not count it yet), and a duplicate otherwise (a page fetched
 * again by the producer).
 */
import type { Delivery } from "@cryptostream/common";
import type { H5File } from "@cryptostream/common/hdf5/h5";
import { appendToByteHeap, ensureByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import type {
  AcceptContext,
  Ready,
  RestoreContext,
  SinkModel,
  SinkWrite,
  Written,
} from "@cryptostream/common/sink/sink-model";
import { readWrittenRows, WrittenWindows } from "@cryptostream/common/sink/written-windows";
import { ResumeFrontier } from "@cryptostream/common/window/resume-frontier";
import { windowStartOf, type WindowRules } from "@cryptostream/common/window/window-book";
import { readRecentIds } from "../dedupe/load-ids.js";
import { logPosition, type RecentIds } from "../dedupe/recent-ids.js";
import { decodeResponse } from "../response/decode-response.js";
import { SentimentWindows, type SentimentWindow } from "../sentiment/sentiment-windows.js";
import { type InputTweet, tweetsOfResponse } from "../tweets/tweet-input.js";
import { buildTweetRow, scoreTweet, type TweetRow } from "../tweets/tweet-row.js";
import { SENTIMENT_PATH, sentimentWrite } from "./sentiment-table.js";
import { TEXT_HEAP, TWEETS_PATH, tweetBatch, WIDTHS } from "./tweet-table.js";

export type TweetUnit = { readonly row: TweetRow } | { readonly window: SentimentWindow };

/** The one sentiment key (windows are for the whole stream). */
const KEY = "twitter";
const ROWS_KEY = "tweets";
const windowKey = (start: number): string => `sentiment\u0000${start}`;

export interface TweetModelOptions {
  readonly rules: WindowRules;
  /** Ids already stored (filled from the file at start). */
  readonly ids: RecentIds;
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly maxFutureSkewMs: number;
  /** Told how many stored ids were read back at start. */
  readonly onIdsLoaded?: (counts: { storedRows: number; readRows: number; ms: number }) => void;
  /** How many of the newest /sentiment rows a restart reads back. */
  readonly restoreRows?: number;
}

export class TweetModel implements SinkModel<TweetUnit> {
  private windows: SentimentWindows;
  private rows: TweetRow[] = [];
  private readonly pendingIds = new Set<string>();
  private written = new WrittenWindows();
  private frontier = new ResumeFrontier(false);

  constructor(private readonly o: TweetModelOptions) {
    this.windows = new SentimentWindows(o.rules);
  }

  accept(d: Delivery, ctx: AcceptContext): void {
    const decoded = decodeResponse(d.value);
    if (!decoded.ok) return ctx.reject(decoded.reason, decoded.detail);
    const r = tweetsOfResponse(decoded.value);
    if (r.kind === "empty") return;
    if (r.kind === "no_data") return ctx.reject("no_data", r.detail);
    for (const b of r.bad) ctx.reject(b.reason, b.detail);
    const here = ctx.replays ? logPosition(d.partition, ctx.offset) : -1;
    for (const t of r.tweets) this.take(t, d, ctx, here);
  }

  private take(t: InputTweet, d: Delivery, ctx: AcceptContext, here: number): void {
    if (this.pendingIds.has(t.id)) return ctx.reject("duplicate", `tweet ${t.id} is already counted`);
    const storedAt = this.o.ids.position(t.id);
    const replay = storedAt !== undefined && here >= 0 && storedAt === here;
    if (storedAt !== undefined && !replay) return ctx.reject("duplicate", `tweet ${t.id} is already stored`);
    if (t.createdAt > ctx.now + this.o.maxFutureSkewMs)
      return ctx.reject(
        "bad_tweet",
        `tweet ${t.id} created_at ${t.createdAt} is more than ${this.o.maxFutureSkewMs} ms ahead of the clock`,
      );
    const start = windowStartOf(t.createdAt, this.o.rules.sizeMs);
    const s = scoreTweet(t.text);
    let inSentiment = true;
    const inFile = ctx.replays ? this.written.state(KEY, start, d.partition, ctx.offset) : "open";
    if (inFile !== "open") this.windows.observe(t.createdAt, ctx.now);
    if (inFile === "counted") {
      // Counted in the file already.
    } else if (
      inFile === "closed" ||
      this.windows.add(t.createdAt, s.sentiment.compound, s.sentiment.label, ctx.now).late
    ) {
      inSentiment = false;
      if (!replay)
        ctx.reject(
          "late_for_window",
          `tweet ${t.id} at ${t.createdAt} falls in a window that already closed; stored, not counted in /sentiment`,
        );
    } else {
      if (ctx.replays) ctx.hold(windowKey(start));
      else this.frontier.note(KEY, t.createdAt);
      // A replayed tweet counted again: its row is stored, its window was not written.
      if (replay) return;
    }
    if (replay) return ctx.replayed();
    this.rows.push(
      buildTweetRow(t, s, start, inSentiment, WIDTHS, {
        partition: ctx.replays ? d.partition : -1,
        offset: ctx.offset,
      }),
    );
    this.pendingIds.add(t.id);
    if (ctx.replays) ctx.hold(ROWS_KEY);
    ctx.eventTime(t.createdAt);
  }

  tick(now: number): void {
    this.windows.tick(now);
  }

  takeReady(): Ready<TweetUnit>[] {
    const out: Ready<TweetUnit>[] = this.rows.map((row) => ({ key: ROWS_KEY, unit: { row } }));
    this.rows = [];
    return out.concat(this.ready(this.windows.takeClosed()));
  }

  drainOpen(): Ready<TweetUnit>[] {
    return this.ready(this.windows.drain());
  }

  private ready(closed: readonly SentimentWindow[]): Ready<TweetUnit>[] {
    return closed.map((w) => {
      if (this.frontier.partial(KEY, w.windowStart)) w.complete = false;
      return { key: windowKey(w.windowStart), unit: { window: w } };
    });
  }

  openWindows(): number {
    return this.windows.openCount();
  }

  layout(units: readonly Written<TweetUnit>[]): SinkWrite {
    const rows: TweetRow[] = [];
    const windows: Written<TweetUnit>[] = [];
    for (const u of units)
      if ("row" in u.unit) rows.push(u.unit.row);
      else windows.push(u);
    const attrs = { windowSeconds: this.o.windowSeconds, latenessSeconds: this.o.latenessSeconds };
    const tweets = tweetBatch(rows, attrs);
    const sentiment = sentimentWrite(
      windows.map((u) => (u.unit as { window: SentimentWindow }).window),
      attrs,
      windows.map((u) => u.origin),
    );
    return {
      writes: [tweets.write, sentiment],
      inTransaction: (file) => {
        if (rows.length === 0) return;
        // The heap always exists next to /tweets, so readers need no special case.
        ensureByteHeap(file, TEXT_HEAP);
        if (tweets.heap.length > 0) tweets.placeHeap(appendToByteHeap(file, TEXT_HEAP, tweets.heap));
      },
    };
  }

  onWritten(units: readonly Written<TweetUnit>[]): void {
    for (const u of units) {
      if (!("row" in u.unit)) continue;
      const r = u.unit.row;
      this.o.ids.add(r.id, logPosition(r.logPartition, r.logOffset));
      this.pendingIds.delete(r.id);
    }
  }

  reset(): void {
    this.windows = new SentimentWindows(this.o.rules);
    this.rows = [];
    this.pendingIds.clear();
  }

  restore(file: H5File | undefined, ctx: RestoreContext): void {
    if (ctx.reason === "start")
      this.frontier = new ResumeFrontier(!ctx.replays && ctx.crashed, this.o.rules.sizeMs, this.o.rules.latenessMs);
    this.written = new WrittenWindows();
    if (!file) return;
    if (ctx.reason === "start") {
      const t0 = performance.now();
      const counts = readRecentIds(file, TWEETS_PATH, this.o.ids);
      this.o.onIdsLoaded?.({ ...counts, ms: Math.round(performance.now() - t0) });
    }
    if (!ctx.replays) return;
    readWrittenRows(file, SENTIMENT_PATH, KEY, this.written, this.o.restoreRows);
    const newest = this.written.newestComplete(KEY);
    if (newest !== undefined) this.windows.restore(newest + this.o.rules.sizeMs, ctx.now);
  }
}
