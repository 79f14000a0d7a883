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
 *
 * Sentiment windows are per source (twitter, bluesky). A delete envelope
 * blanks the post's texts: in memory when its row is still pending, in the
 * file (inside the next write's transaction) when it is stored; each applied
 * delete becomes one /deletes row, which makes a replayed delete a no-op.
 * Deletes of posts this file never held are only counted.
 */
import type { Delivery } from "@cryptostream/common";
import type { H5Dataset, H5File } from "@cryptostream/common/hdf5/h5";
import type { Period } from "@cryptostream/common/store/layout";
import { appendToByteHeap, ensureByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import type {
  AcceptContext,
  Ready,
  RestoreContext,
  SinkModel,
  SinkWrite,
  Written,
} from "@cryptostream/common/sink/sink-model";
import { type WindowTable, WrittenWindows } from "@cryptostream/common/store/written-windows";
import { ResumeFrontier } from "@cryptostream/common/store/resume-frontier";
import { windowStartOf, type WindowRules } from "@cryptostream/common/window/window-book";
import { readRecentIds } from "../dedupe/load-ids.js";
import { logPosition, type RecentIds } from "../dedupe/recent-ids.js";
import { decodeResponse } from "../response/decode-response.js";
import { SentimentWindows, type SentimentWindow } from "../sentiment/sentiment-windows.js";
import { deletesOfEnvelope, type InputDelete } from "../tweets/delete-input.js";
import { type InputTweet, tweetsOfResponse } from "../tweets/tweet-input.js";
import { buildTweetRow, scoreTweet, type TweetRow } from "../tweets/tweet-row.js";
import { blankStoredPost } from "./blank-stored.js";
import { DeleteBook, type DeleteOutcome } from "./delete-book.js";
import { type DeleteRecord, deletesWrite } from "./deletes-table.js";
import { SENTIMENT_PATH, sentimentWrite } from "./sentiment-table.js";
import { TEXT_HEAP, TWEETS_PATH, tweetBatch, WIDTHS } from "./tweet-table.js";

export type TweetUnit =
  | { readonly row: TweetRow }
  | { readonly window: SentimentWindow }
  | { readonly delete: DeleteRecord };

const ROWS_KEY = "tweets";
const DELETES_KEY = "deletes";
const windowKey = (source: string, start: number): string => `sentiment\u0000${source}\u0000${start}`;

export type { DeleteOutcome } from "./delete-book.js";

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
  /** Told of every delete taken (twitter_deletes_total{outcome}). */
  readonly onDelete?: (outcome: DeleteOutcome) => void;
}

export class TweetModel implements SinkModel<TweetUnit> {
  private windows: SentimentWindows;
  private rows: TweetRow[] = [];
  /** Rows taken but not yet written, by id (a delete blanks them in place). */
  private readonly pendingRows = new Map<string, TweetRow>();
  private readonly deletes: DeleteBook;
  /** /tweets row count before the write in progress appended (its rows' indexes follow). */
  private rowBase: number | undefined;
  /** What the store holds of /sentiment (replays), and the crash frontier (no log): the store's, set at restore. */
  private written = new WrittenWindows();
  private frontier = new ResumeFrontier(false);
  readonly windowTables: readonly WindowTable[];
  readonly windowRules: { readonly sizeMs: number; readonly latenessMs: number };

  constructor(private readonly o: TweetModelOptions) {
    this.windows = new SentimentWindows(o.rules);
    this.deletes = new DeleteBook(o.ids.capacity);
    // Rows of files without a source column (schema 3) are Twitter's.
    this.windowTables = [{ path: SENTIMENT_PATH, keyColumn: "source", defaultKey: "twitter", tailRows: o.restoreRows }];
    this.windowRules = { sizeMs: o.rules.sizeMs, latenessMs: o.rules.latenessMs };
  }

  accept(d: Delivery, ctx: AcceptContext): void {
    const decoded = decodeResponse(d.value);
    if (!decoded.ok) return ctx.reject(decoded.reason, decoded.detail);
    const del = deletesOfEnvelope(decoded.value);
    if (del.kind === "bad_delete" || del.kind === "bad_source") return ctx.reject(del.kind, del.detail);
    if (del.kind === "deletes") {
      for (const b of del.bad) ctx.reject(b.reason, b.detail);
      for (const x of del.deletes) this.takeDelete(x, d, ctx);
      return;
    }
    const r = tweetsOfResponse(decoded.value);
    if (r.kind === "empty") return;
    if (r.kind === "no_data" || r.kind === "bad_source") return ctx.reject(r.kind, r.detail);
    for (const b of r.bad) ctx.reject(b.reason, b.detail);
    const here = ctx.replays ? logPosition(d.partition, ctx.offset) : -1;
    for (const t of r.tweets) this.take(t, d, ctx, here);
  }

  private takeDelete(x: InputDelete, d: Delivery, ctx: AcceptContext): void {
    const at = { partition: ctx.replays ? d.partition : -1, offset: ctx.offset };
    const outcome = this.deletes.take(x, this.pendingRows.get(x.id), this.o.ids.has(x.id), at);
    this.o.onDelete?.(outcome);
    if (outcome === "repeat" && ctx.replays) ctx.replayed();
    else if ((outcome === "pending" || outcome === "stored") && ctx.replays) ctx.hold(DELETES_KEY);
  }

  private take(t: InputTweet, d: Delivery, ctx: AcceptContext, here: number): void {
    if (this.pendingRows.has(t.id)) return ctx.reject("duplicate", `tweet ${t.id} is already counted`);
    const storedAt = this.o.ids.position(t.id);
    const replay = storedAt !== undefined && here >= 0 && storedAt === here;
    if (storedAt !== undefined && !replay) return ctx.reject("duplicate", `tweet ${t.id} is already stored`);
    if (t.createdAt > ctx.now + this.o.maxFutureSkewMs)
      return ctx.reject(
        "bad_tweet",
        `tweet ${t.id} created_at ${t.createdAt} is more than ${this.o.maxFutureSkewMs} ms ahead of the clock`,
      );
    ctx.keyTime(t.source, t.createdAt);
    const start = windowStartOf(t.createdAt, this.o.rules.sizeMs);
    const s = scoreTweet(t.text);
    const source = t.source;
    let inSentiment = true;
    const inFile = ctx.replays ? this.written.state(source, start, d.partition, ctx.offset) : "open";
    if (inFile !== "open") this.windows.observe(t.createdAt, ctx.now, source);
    if (inFile === "counted") {
      // Counted in the file already.
    } else if (
      inFile === "closed" ||
      this.windows.add(t.createdAt, s.sentiment.compound, s.sentiment.label, ctx.now, source).late
    ) {
      inSentiment = false;
      if (!replay)
        ctx.reject(
          "late_for_window",
          `tweet ${t.id} at ${t.createdAt} falls in a window that already closed; stored, not counted in /sentiment`,
        );
    } else {
      if (ctx.replays) ctx.hold(windowKey(source, start));
      else this.frontier.note(source, t.createdAt);
      // A replayed tweet counted again: its row is stored, its window was not written.
      if (replay) return;
    }
    if (replay) return ctx.replayed();
    const row = buildTweetRow(t, s, start, inSentiment, WIDTHS, {
      partition: ctx.replays ? d.partition : -1,
      offset: ctx.offset,
    });
    this.rows.push(row);
    this.pendingRows.set(t.id, row);
    if (ctx.replays) ctx.hold(ROWS_KEY);
    // Its delete came first (deletes of posts not held are remembered a while).
    if (this.deletes.onPost(row, { partition: row.logPartition, offset: row.logOffset }) && ctx.replays)
      ctx.hold(DELETES_KEY);
    ctx.eventTime(t.createdAt);
  }

  tick(now: number): void {
    this.windows.tick(now);
  }

  resumeWatermark(source: string, ms: number, now: number): void {
    this.windows.observe(ms, now, source);
  }

  takeReady(): Ready<TweetUnit>[] {
    const out: Ready<TweetUnit>[] = this.rows.map((row) => ({ key: ROWS_KEY, unit: { row } }));
    this.rows = [];
    for (const del of this.deletes.takeRecords()) out.push({ key: DELETES_KEY, unit: { delete: del } });
    return out.concat(this.ready(this.windows.takeClosed()));
  }

  drainOpen(): Ready<TweetUnit>[] {
    return this.ready(this.windows.drain());
  }

  private ready(closed: readonly SentimentWindow[]): Ready<TweetUnit>[] {
    return closed.map((w) => {
      if (this.frontier.partial(w.source, w.windowStart)) w.complete = false;
      return { key: windowKey(w.source, w.windowStart), unit: { window: w } };
    });
  }

  openWindows(): number {
    return this.windows.openCount();
  }

  /** A row and a window by their window start; a delete by the post's (it blanks the row where the post is). */
  rowTime(unit: TweetUnit): number {
    if ("row" in unit) return unit.row.windowStart;
    if ("window" in unit) return unit.window.windowStart;
    const id = unit.delete.id;
    return this.o.ids.time(id) ?? this.pendingRows.get(id)?.windowStart ?? unit.delete.deletedAt;
  }

  editsStored(unit: TweetUnit): boolean {
    return "delete" in unit && unit.delete.inFile;
  }

  layout(units: readonly Written<TweetUnit>[], _period?: Period): SinkWrite {
    const rows: TweetRow[] = [];
    const windows: Written<TweetUnit>[] = [];
    const deletes: DeleteRecord[] = [];
    for (const u of units)
      if ("row" in u.unit) rows.push(u.unit.row);
      else if ("delete" in u.unit) deletes.push(u.unit.delete);
      else windows.push(u);
    const attrs = { windowSeconds: this.o.windowSeconds, latenessSeconds: this.o.latenessSeconds };
    const tweets = tweetBatch(rows, attrs);
    const sentiment = sentimentWrite(
      windows.map((u) => (u.unit as { window: SentimentWindow }).window),
      attrs,
      windows.map((u) => u.origin),
    );
    const deleteRows = deletesWrite(deletes, attrs);
    const applied = deleteRows.data.get("applied") as number[];
    return {
      writes: [tweets.write, sentiment, deleteRows],
      inTransaction: (file) => {
        this.rowBase = (file.get(TWEETS_PATH) as H5Dataset | null)?.shape?.[0] ?? 0;
        deletes.forEach((x, i) => {
          if (!x.inFile) return;
          x.applied = blankStoredPost(file, x.id, this.o.ids.row(x.id), x.deletedAt);
          applied[i] = x.applied ? 1 : 0;
        });
        if (rows.length === 0) return;
        // The heap always exists next to /tweets, so readers need no special case.
        ensureByteHeap(file, TEXT_HEAP);
        if (tweets.heap.length > 0) tweets.placeHeap(appendToByteHeap(file, TEXT_HEAP, tweets.heap));
      },
    };
  }

  onWritten(units: readonly Written<TweetUnit>[]): void {
    let row = this.rowBase ?? -1;
    for (const u of units) {
      if ("delete" in u.unit) this.deletes.written(u.unit.delete.id);
      if (!("row" in u.unit)) continue;
      const r = u.unit.row;
      this.o.ids.add(r.id, logPosition(r.logPartition, r.logOffset), row >= 0 ? row++ : undefined, r.windowStart);
      this.pendingRows.delete(r.id);
    }
    this.rowBase = undefined;
  }

  reset(): void {
    this.windows = new SentimentWindows(this.o.rules);
    this.rows = [];
    this.pendingRows.clear();
    this.deletes.reset();
  }

  restore(files: readonly H5File[], ctx: RestoreContext): void {
    this.frontier = ctx.frontier;
    this.written = ctx.written;
    if (files.length === 0) return;
    if (ctx.reason === "start") {
      const t0 = performance.now();
      const counts = { storedRows: 0, readRows: 0 };
      // Oldest first, so that the ring of ids ends holding the newest.
      for (const file of files) {
        const c = readRecentIds(file, TWEETS_PATH, this.o.ids);
        counts.storedRows += c.storedRows;
        counts.readRows += c.readRows;
        this.deletes.restore(file);
      }
      this.o.onIdsLoaded?.({ ...counts, ms: Math.round(performance.now() - t0) });
    }
    if (!ctx.replays) return;
    for (const source of [...this.written.keys()]) {
      const newest = this.written.newestComplete(source);
      if (newest !== undefined) this.windows.restore(newest + this.o.rules.sizeMs, ctx.now, source);
    }
  }
}
