/**
 * Wires transport -> pickle decode -> text + sentiment -> HDF5 for the tweet
 * stream. The meaning lives in tweets/, sentiment/, text/ and sink/; this
 * file only moves data and keeps the books (dedupe, metrics, rejections,
 * flushes, commit points).
 *
 * Over Kafka (deps.replay) the output is exact across crashes: a commit never
 * passes a tweet still counted only in memory (resume/commit-book.ts), a
 * replayed tweet whose row is already stored is still counted when its window
 * is open, and a graceful stop writes no partial windows (the replay rebuilds
 * them). See docs/hdf5-layout.md "## twitter.h5".
 */
import {
  type Consumer,
  type Delivery,
  type Logger,
  Rejections,
  Serial,
  type StandardMetrics,
} from "@cryptostream/common";
import type { H5Appender, TableWrite } from "@cryptostream/common/hdf5/appender";
import { appendToByteHeap, ensureByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import { windowStartOf } from "@cryptostream/common/window/window-book";
import type { RecentIds } from "./dedupe/recent-ids.js";
import { CommitBook } from "./resume/commit-book.js";
import { CountedIds } from "./resume/counted-ids.js";
import type { ResumeState } from "./resume/resume-state.js";
import { decodeResponse } from "./response/decode-response.js";
import type { SentimentWindow, SentimentWindows } from "./sentiment/sentiment-windows.js";
import { sentimentWrite } from "./sink/sentiment-table.js";
import { TEXT_HEAP, tweetBatch, WIDTHS } from "./sink/tweet-table.js";
import { type InputTweet, tweetsOfResponse } from "./tweets/tweet-input.js";
import { buildTweetRow, scoreTweet, type TweetRow } from "./tweets/tweet-row.js";

export interface ProcessorDeps {
  readonly appender: H5Appender;
  readonly consumer: Consumer;
  readonly topic: string;
  readonly windows: SentimentWindows;
  /** Ids already stored (loaded from the file at start). */
  readonly ids: RecentIds;
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly maxFutureSkewMs: number;
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly now?: () => number;
  /** Called when rows pile up behind failing writes beyond `maxPendingRows` (the service then exits). */
  readonly onFatal?: (err: Error) => void;
  readonly maxPendingRows?: number;
  /**
   * True when the transport replays from the committed offset after a restart
   * (Kafka): stored tweets of open windows are then counted again, and a
   * graceful stop leaves open windows to the replay instead of writing them.
   */
  readonly replay?: boolean;
  /** Kafka only: what the file says about windows already written (resume/load-resume.ts). */
  readonly resume?: ResumeState;
  /** Wall-clock tick period; 0 turns the tick off (tests). Default 1000 ms. */
  readonly tickMs?: number;
}

export class TwitterProcessor {
  private readonly serial = new Serial();
  private readonly rejections: Rejections;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteError: unknown;
  /** Rows accepted but not yet in the file (kept across a failed write, retried with the next flush). */
  private pendingRows: TweetRow[] = [];
  private pendingWindows: SentimentWindow[] = [];
  private readonly pendingIds = new Set<string>();
  private readonly commits = new CommitBook();
  private readonly counted = new CountedIds();
  /** Set by stop() before the consumer stops, so its revoke callback knows it is not a rebalance. */
  private stopping = false;
  rowsWritten = 0;
  windowsWritten = 0;
  rebalances = 0;
  /** Redelivered tweets whose rows were stored already, counted again into their open window. */
  recounted = 0;

  constructor(private readonly d: ProcessorDeps) {
    this.rejections = new Rejections(d.metrics.rejects, d.log);
    this.now = d.now ?? Date.now;
    const r = d.replay ? d.resume : undefined;
    if (r) {
      if (r.closedBefore !== undefined) d.windows.restore(r.closedBefore, this.now());
      for (const [ws, ids] of r.accounted) for (const id of ids) this.counted.add(ws, id);
    }
  }

  async start(): Promise<void> {
    this.d.consumer.onRevoke?.(() => this.serial.run(() => this.onRevoke()));
    await this.d.consumer.start(this.d.topic, (batch) => this.serial.run(() => this.onBatch(batch)));
    const tickMs = this.d.tickMs ?? 1000;
    if (tickMs <= 0) return;
    // The wall clock closes windows once the stream goes quiet.
    this.timer = setInterval(() => {
      void this.serial.run(async () => {
        this.d.windows.tick(this.now());
        this.pendingWindows.push(...this.d.windows.takeClosed());
        if (await this.flush()) await this.commit(this.commits.safePoints());
      });
    }, tickMs);
  }

  healthy(): boolean {
    return this.lastWriteError === undefined;
  }

  status(): Record<string, unknown> {
    return {
      rowsWritten: this.rowsWritten,
      windowsWritten: this.windowsWritten,
      pendingRows: this.pendingRows.length,
      openWindows: this.d.windows.openCount(),
      heldWindows: this.commits.heldWindows(),
      rebalances: this.rebalances,
    };
  }

  /** Handles one transport batch; exported for tests and the bench (no transport needed). */
  async onBatch(batch: readonly Delivery[]): Promise<void> {
    for (const m of batch) {
      this.d.metrics.messagesIn.inc();
      this.commits.seen(m);
      this.takeResponse(m);
    }
    this.pendingWindows.push(...this.d.windows.takeClosed());
    // One flush per transport batch that produced rows, not per tweet.
    if (await this.flush()) await this.commit(this.commits.safePoints());
  }

  private takeResponse(m: Delivery): void {
    const decoded = decodeResponse(m.value);
    if (!decoded.ok) return this.rejections.reject(decoded.reason, decoded.detail);
    const r = tweetsOfResponse(decoded.value);
    if (r.kind === "empty") return;
    if (r.kind === "no_data") return this.rejections.reject("no_data", r.detail);
    for (const b of r.bad) this.rejections.reject(b.reason, b.detail);
    const now = this.now();
    for (const t of r.tweets) this.takeTweet(t, m, now);
  }

  private takeTweet(t: InputTweet, m: Delivery, now: number): void {
    const { metrics, windows, ids, maxFutureSkewMs } = this.d;
    if (this.counted.has(t.id) || this.pendingIds.has(t.id)) {
      this.rejections.reject("duplicate", `tweet ${t.id} is already counted or stored`);
      return;
    }
    if (ids.has(t.id)) {
      if (!this.d.replay) return this.rejections.reject("duplicate", `tweet ${t.id} is already stored`);
      // A redelivery: the row is stored, but its window may not be written yet.
      const s = scoreTweet(t.text);
      const a = windows.add(t.createdAt, s.score, s.label, now);
      // Its window is in the file already: counted silently, not logged one by one.
      if (a.late) return metrics.rejects.inc({ reason: "replayed" });
      this.counted.add(a.windowStart, t.id);
      this.commits.hold(a.windowStart, m);
      this.recounted += 1;
      return;
    }
    if (t.createdAt > now + maxFutureSkewMs) {
      this.rejections.reject(
        "bad_tweet",
        `tweet ${t.id} created_at ${t.createdAt} is more than ${maxFutureSkewMs} ms ahead of the clock`,
      );
      return;
    }
    const s = scoreTweet(t.text);
    const a = windows.add(t.createdAt, s.score, s.label, now);
    if (a.late)
      this.rejections.reject(
        "late_for_window",
        `tweet ${t.id} at ${t.createdAt} falls in a window that already closed; stored, not counted in /sentiment`,
      );
    else {
      this.counted.add(a.windowStart, t.id);
      this.commits.hold(a.windowStart, m);
    }
    const windowStart = windowStartOf(t.createdAt, windows.rules.sizeMs);
    this.pendingRows.push(buildTweetRow(t, s, windowStart, !a.late, WIDTHS));
    this.pendingIds.add(t.id);
    if (t.createdAt / 1000 > metrics.lastEventTime.get()) metrics.lastEventTime.set(t.createdAt / 1000);
  }

  /** Writes pending rows and windows in one transaction. Returns true when nothing is left pending. */
  private async flush(): Promise<boolean> {
    const rows = this.pendingRows;
    const closed = this.pendingWindows;
    if (rows.length === 0 && closed.length === 0) return true;
    const attrs = { windowSeconds: this.d.windowSeconds, latenessSeconds: this.d.latenessSeconds };
    const tweets = tweetBatch(rows, attrs);
    const writes: TableWrite[] = [tweets.write, sentimentWrite(closed, attrs)];
    try {
      await this.d.appender.append(writes, (file) => {
        if (rows.length === 0) return;
        // The heap always exists next to /tweets, so readers need no special case.
        ensureByteHeap(file, TEXT_HEAP);
        if (tweets.heap.length > 0) tweets.placeHeap(appendToByteHeap(file, TEXT_HEAP, tweets.heap));
      });
    } catch (err) {
      this.onWriteError(err, rows.length, closed.length);
      return false;
    }
    if (this.lastWriteError !== undefined)
      this.d.log.info("HDF5 writes succeed again", { file: this.d.appender.filePath });
    this.lastWriteError = undefined;
    for (const r of rows) this.d.ids.add(r.id);
    this.pendingIds.clear();
    this.pendingRows = [];
    this.pendingWindows = [];
    // Written windows hold no offsets, and their tweets are late from now on.
    this.commits.release(closed.map((w) => w.windowStart));
    this.counted.pruneBefore(this.d.windows.closedBefore());
    this.rowsWritten += rows.length;
    this.windowsWritten += closed.length;
    this.d.metrics.messagesOut.inc(undefined, rows.length);
    this.d.log.debug("rows written", { tweets: rows.length, windows: closed.length, heapBytes: tweets.heap.length });
    return true;
  }

  private onWriteError(err: unknown, rows: number, windows: number): void {
    const first = this.lastWriteError === undefined;
    this.lastWriteError = err;
    // Rows stay pending and go with the next flush; log the first failure in a row loudly.
    (first ? this.d.log.error : this.d.log.debug)("HDF5 write failed; rows kept for the next flush", {
      err,
      file: this.d.appender.filePath,
      rows,
      windows,
    });
    const max = this.d.maxPendingRows ?? 100_000;
    if (this.pendingRows.length > max)
      this.d.onFatal?.(new Error(`${this.pendingRows.length} rows pending behind failing HDF5 writes (limit ${max})`));
  }

  /**
   * Tells the transport the point up to which everything is durable (Kafka
   * resumes there). Call only right after a flush that left nothing pending.
   */
  private async commit(points: ReturnType<CommitBook["safePoints"]>): Promise<void> {
    if (points.length === 0) return;
    try {
      await this.d.consumer.commit(points);
      this.commits.markCommitted(points);
    } catch (err) {
      // Not fatal: the transport re-delivers from the last commit, and replays are handled.
      this.d.log.warn("commit failed", { err });
    }
  }

  /** The transport takes partitions away: before stop, or at a rebalance (Kafka). */
  private async onRevoke(): Promise<void> {
    this.pendingWindows.push(...this.d.windows.takeClosed());
    if (this.stopping) {
      // Open windows stay unwritten: the next start rebuilds them from the replay.
      if (await this.flush()) await this.commit(this.commits.safePoints());
      return;
    }
    // Another replica may own these partitions next: write what is open as
    // partial rows (readers merge rows by window_start), then commit all seen.
    this.rebalances += 1;
    const open = this.d.windows.openCount();
    this.pendingWindows.push(...this.d.windows.drain());
    if (!(await this.flush())) {
      this.d.log.error("rebalance: HDF5 write failed; offsets not committed", { openWindows: open });
      return;
    }
    await this.commit(this.commits.allSeenPoints());
    this.commits.reset();
    this.d.log.info("rebalance: open windows written as partial rows, everything seen committed", {
      partialWindows: open,
    });
  }

  /**
   * Stops intake and writes pending rows. Under ZeroMQ open windows are
   * written too (marked incomplete); under Kafka the consumer's revoke
   * callback has flushed and committed the safe point, and open windows are
   * left to the replay.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.d.consumer.stop();
    await this.serial.run(async () => {
      this.pendingWindows.push(...(this.d.replay ? this.d.windows.takeClosed() : this.d.windows.drain()));
      if (!(await this.flush()))
        throw new Error(`final HDF5 write failed; ${this.pendingRows.length} tweets not stored`, {
          cause: this.lastWriteError,
        });
    });
    this.rejections.rollOver();
  }
}
