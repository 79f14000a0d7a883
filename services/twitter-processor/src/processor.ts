/**
 * Wires transport -> pickle decode -> text + sentiment -> HDF5 for the tweet
 * stream. The meaning lives in tweets/, sentiment/, text/ and sink/; this
 * file only moves data and keeps the books (dedupe, metrics, rejections,
 * flushes, commit points).
 */
import {
  type CommitPoint,
  type Consumer,
  type Delivery,
  type Logger,
  Rejections,
  Serial,
  type StandardMetrics,
} from "@cryptostream/common";
import type { H5Appender, TableWrite } from "@cryptostream/common/hdf5/appender";
import { appendToByteHeap, ensureByteHeap } from "@cryptostream/common/hdf5/byte-heap";
import type { RecentIds } from "./dedupe/recent-ids.js";
import { decodeResponse } from "./response/decode-response.js";
import type { SentimentWindow, SentimentWindows } from "./sentiment/sentiment-windows.js";
import { sentimentWrite } from "./sink/sentiment-table.js";
import { TEXT_HEAP, tweetBatch, WIDTHS } from "./sink/tweet-table.js";
import { tweetsOfResponse } from "./tweets/tweet-input.js";
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
  private readonly uncommitted = new Map<string, CommitPoint>();
  rowsWritten = 0;
  windowsWritten = 0;

  constructor(private readonly d: ProcessorDeps) {
    this.rejections = new Rejections(d.metrics.rejects, d.log);
    this.now = d.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.d.consumer.start(this.d.topic, (batch) => this.serial.run(() => this.onBatch(batch)));
    // The wall clock closes windows once the stream goes quiet.
    this.timer = setInterval(() => {
      void this.serial.run(async () => {
        this.d.windows.tick(this.now());
        this.pendingWindows.push(...this.d.windows.takeClosed());
        await this.flush();
      });
    }, 1000);
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
    };
  }

  /** Handles one transport batch; exported for tests and the bench (no transport needed). */
  async onBatch(batch: readonly Delivery[]): Promise<void> {
    for (const m of batch) {
      this.d.metrics.messagesIn.inc();
      this.takeResponse(m.value);
      const key = `${m.topic}\u0000${m.partition}`;
      this.uncommitted.set(key, { topic: m.topic, partition: m.partition, offset: (BigInt(m.offset) + 1n).toString() });
    }
    this.pendingWindows.push(...this.d.windows.takeClosed());
    // One flush per transport batch that produced rows, not per tweet.
    if (await this.flush()) await this.commit();
  }

  private takeResponse(bytes: Buffer): void {
    const { metrics, windows, ids, maxFutureSkewMs } = this.d;
    const decoded = decodeResponse(bytes);
    if (!decoded.ok) return this.rejections.reject(decoded.reason, decoded.detail);
    const r = tweetsOfResponse(decoded.value);
    if (r.kind === "empty") return;
    if (r.kind === "no_data") return this.rejections.reject("no_data", r.detail);
    for (const b of r.bad) this.rejections.reject(b.reason, b.detail);
    const now = this.now();
    for (const t of r.tweets) {
      if (ids.has(t.id) || this.pendingIds.has(t.id)) {
        this.rejections.reject("duplicate", `tweet ${t.id} is already stored`);
        continue;
      }
      if (t.createdAt > now + maxFutureSkewMs) {
        this.rejections.reject(
          "bad_tweet",
          `tweet ${t.id} created_at ${t.createdAt} is more than ${maxFutureSkewMs} ms ahead of the clock`,
        );
        continue;
      }
      const s = scoreTweet(t.text);
      const a = windows.add(t.createdAt, s.score, s.label, now);
      if (a.late)
        this.rejections.reject(
          "late_for_window",
          `tweet ${t.id} at ${t.createdAt} falls in a window that already closed; stored, not counted in /sentiment`,
        );
      const windowStart = Math.floor(t.createdAt / windows.rules.sizeMs) * windows.rules.sizeMs;
      this.pendingRows.push(buildTweetRow(t, s, windowStart, !a.late, WIDTHS));
      this.pendingIds.add(t.id);
      if (t.createdAt / 1000 > metrics.lastEventTime.get()) metrics.lastEventTime.set(t.createdAt / 1000);
    }
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

  /** Tells the transport that what was delivered so far is durable (Kafka resumes after it). */
  private async commit(): Promise<void> {
    if (this.uncommitted.size === 0) return;
    const points = [...this.uncommitted.values()];
    this.uncommitted.clear();
    try {
      await this.d.consumer.commit(points);
    } catch (err) {
      // Not fatal: after a restart the transport re-delivers, and dedupe drops what is stored.
      this.d.log.warn("commit failed", { err });
    }
  }

  /** Stops intake, writes every open window (marked incomplete) and pending rows. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.d.consumer.stop();
    await this.serial.run(async () => {
      this.pendingWindows.push(...this.d.windows.drain());
      if (!(await this.flush()))
        throw new Error(`final HDF5 write failed; ${this.pendingRows.length} tweets not stored`, {
          cause: this.lastWriteError,
        });
    });
    this.rejections.rollOver();
  }
}
