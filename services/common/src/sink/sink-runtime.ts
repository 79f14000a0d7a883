/**
 * The windowed-sink runtime both processors run on: consumer lifecycle, one
 * job queue (batches, the wall-clock tick, revokes and stop never overlap),
 * flush batching, the write-failure policy, back-pressure, the commit rule,
 * replays and rebuilds, and the standard metrics. What is a processor's own
 * (how a delivery becomes window contributions, how rows are laid out, what a
 * restart reads back) comes in through its SinkModel.
 *
 * Write failures (no space, I/O error, permission, a file that is no longer
 * HDF5): rows stay pending in order and are retried with backoff; /healthz
 * reports the failure; past `maxPendingRows` intake pauses until a write
 * succeeds. A file that cannot be read as HDF5, or whose tables differ from
 * what this version writes, is renamed aside (never overwritten) and a new
 * file starts. Nothing is dropped and the service keeps running.
 *
 * Commits (transports that replay): only after the write that made the
 * messages' effect durable (CommitBook). On a rebalance the open windows are
 * written as partial rows and everything seen is committed; on a rebalance, a
 * rejoin or a restart of the consumer, memory is then reset and rebuilt from
 * the file and the log, so it never disagrees with the committed offsets.
 */
import type { H5Appender } from "../hdf5/appender.js";
import type { PartitionedStore } from "../store/partitioned-store.js";
import { ResumeFrontier } from "../store/resume-frontier.js";
import type { Logger } from "../log/logger.js";
import type { StandardMetrics } from "../metrics/registry.js";
import { Rejections } from "../metrics/rejections.js";
import { type BackoffPolicy, backoffDelay } from "../retry/backoff.js";
import { Serial } from "../service/serial.js";
import {
  type AssignedPartition,
  type CommitPoint,
  type Consumer,
  type Delivery,
  decodeWatermarkMetadata,
  encodeWatermarks,
  type RevokeReason,
} from "../transport/transport.js";
import { CommitBook } from "./commit-book.js";
import { NO_ORIGIN } from "./origin.js";
import type { SinkConfig } from "./sink-config.js";
import type { SinkMetrics } from "./sink-metrics.js";
import type { AcceptContext, RestoreContext, SinkModel, Written } from "./sink-model.js";

/** What a processor's entry point hands its runtime besides the model. */
export interface SinkDeps {
  readonly store: PartitionedStore;
  readonly consumer: Consumer;
  readonly topic: string;
  readonly sink: SinkConfig;
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly sinkMetrics: SinkMetrics;
  readonly now?: () => number;
  /** Wall-clock tick period; 0 turns it off (tests). */
  readonly tickMs?: number;
  readonly onCrash?: (err: unknown) => void;
}

/** The runtime of `model` configured from a processor's SinkDeps. */
export function sinkRuntime<U>(model: SinkModel<U>, d: SinkDeps): SinkRuntime<U> {
  return new SinkRuntime({
    model,
    store: d.store,
    consumer: d.consumer,
    topic: d.topic,
    log: d.log,
    metrics: d.metrics,
    sink: d.sinkMetrics,
    flushMs: d.sink.flushMs,
    maxPendingRows: d.sink.maxPendingRows,
    transportHoldMs: d.sink.transportHoldMs,
    retry: d.sink.retry,
    ...(d.now ? { now: d.now } : {}),
    ...(d.tickMs !== undefined ? { tickMs: d.tickMs } : {}),
    ...(d.onCrash ? { onCrash: d.onCrash } : {}),
  });
}

export interface SinkRuntimeOptions<U> {
  readonly model: SinkModel<U>;
  readonly store: PartitionedStore;
  readonly consumer: Consumer;
  readonly topic: string;
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly sink: SinkMetrics;
  /** Ready units wait up to this long to be written together (0: after every batch). */
  readonly flushMs: number;
  /** Past this many pending rows behind failing writes, intake pauses. */
  readonly maxPendingRows: number;
  /** Write at once when this many rows wait, failing or not (default 50,000). */
  readonly maxBatchRows?: number;
  /**
   * While the transport is away (Consumer.status: reconnecting) and this long after, the wall
   * clock closes no window: a broker outage stalls the producers too, and what they held must
   * not arrive late once it is back. Default 30,000 ms.
   */
  readonly transportHoldMs?: number;
  readonly retry: BackoffPolicy;
  /** Wall-clock tick; 0 turns it off (tests drive `tick`). Default 1000 ms. */
  readonly tickMs?: number;
  /** How long a stop keeps retrying a failing final write. Default 5000 ms. */
  readonly stopRetryMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  /** A bug in the model (an exception out of accept/layout): default log and exit 1, as a crash would. */
  readonly onCrash?: (err: unknown) => void;
}

interface Failure {
  readonly reason: string;
  readonly since: number;
  readonly attempt: number;
  readonly nextAt: number;
}

/** No batch for this long: intake is idle, and a write the write share held back goes out. */
const INPUT_IDLE_MS = 100;

export class SinkRuntime<U> {
  private readonly serial = new Serial();
  private readonly book: CommitBook;
  private readonly rejections: Rejections;
  /** Set at start: which windows may miss events of a crashed run (no log). */
  private frontier = new ResumeFrontier(false);
  private readonly now: () => number;
  private readonly replays: boolean;
  private pending: Array<Written<U>> = [];
  private pendingSince = 0;
  private failure: Failure | undefined;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  /** A retry of a write the write share held back (flushSoon). */
  private soon: NodeJS.Timeout | undefined;
  /** Wall-clock time of the last batch taken in. */
  private lastInputAt = -Infinity;
  private newestEvent = -Infinity;
  /** When the transport was last seen away (reconnecting), and whether it was at the last tick. */
  private transportAwayAt = -Infinity;
  private transportAway = false;
  private readonly ctx: AcceptContext & { offset: number; now: number; partition: number };
  /** Log transports: partition -> window key -> newest event time seen (committed as metadata). */
  private readonly marks = new Map<number, Map<string, number>>();
  rowsWritten = 0;

  constructor(private readonly o: SinkRuntimeOptions<U>) {
    this.book = new CommitBook(o.topic);
    this.rejections = new Rejections(o.metrics.rejects, o.log);
    this.now = o.now ?? Date.now;
    this.replays = o.consumer.replays;
    // One context object, reused for every delivery (this is the hot path).
    const self = this;
    this.ctx = {
      now: 0,
      offset: -1,
      partition: 0,
      replays: this.replays,
      hold(key: string) {
        if (self.replays) self.book.hold(key, this.partition, this.offset);
      },
      reject: (reason, detail) => this.rejections.reject(reason, detail),
      replayed: () => o.metrics.replayed.inc(),
      keyTime(key: string, ms: number) {
        if (!self.replays) return;
        let m = self.marks.get(this.partition);
        if (!m) self.marks.set(this.partition, (m = new Map()));
        if (ms > (m.get(key) ?? -Infinity)) m.set(key, ms);
      },
      eventTime: (ms) => {
        if (ms > this.newestEvent) {
          this.newestEvent = ms;
          o.metrics.lastEventTime.set(ms / 1000);
        }
      },
    };
  }

  /** Reads back the store's newest partitions, then starts consuming and the wall-clock tick. */
  async start(): Promise<void> {
    const { store, consumer } = this.o;
    store.setYieldDuringWrites(!this.replays);
    await store.prepare();
    this.setAsideCount("damaged", await store.setAsideUnreadable());
    const crashed = this.replays ? false : store.beginRun();
    if (crashed) this.o.log.warn("the previous run did not stop cleanly; windows it had open are written as partial");
    const { model } = this.o;
    const { sizeMs, latenessMs } = model.windowRules;
    this.frontier = new ResumeFrontier(!this.replays && crashed, sizeMs, latenessMs);
    await this.restore("start", crashed);
    this.storeGauges();
    consumer.onRevoke?.((reason) => this.serial.run(() => this.guard(() => this.onRevoke(reason))));
    consumer.onAssign?.((assigned) => this.serial.run(() => this.guard(() => this.onAssign(assigned))));
    await consumer.start(this.o.topic, (batch) => this.serial.run(() => this.guard(() => this.onBatch(batch))));
    const tickMs = this.o.tickMs ?? 1000;
    if (tickMs > 0) this.timer = setInterval(() => void this.tick(), tickMs);
  }

  /** The wall-clock job: closes quiet windows, retries failed writes, commits. */
  tick(): Promise<void> {
    return this.serial.run(() =>
      this.guard(async () => {
        const now = this.now();
        // The clock stops at the broker's last answer (log transports): an outage closes nothing by itself.
        if (!this.holdingWallClock(now)) this.o.model.tick(Math.min(now, this.o.consumer.lastContact?.() ?? now));
        await this.afterInput();
        await this.housekeep();
      }),
    );
  }

  /** True while the transport is away and for transportHoldMs after: windows then close by event time only. */
  private holdingWallClock(now: number): boolean {
    const holdMs = this.o.transportHoldMs ?? 30_000;
    const status = this.o.consumer.status?.();
    const away = status?.state === "reconnecting";
    if (away && !this.transportAway)
      this.o.log.warn("transport away: the wall clock closes no window until it is back", { since: status.since });
    if (!away && this.transportAway)
      this.o.log.info("transport back: the wall clock closes windows again after the hold", { holdMs });
    this.transportAway = away;
    if (away) this.transportAwayAt = now;
    return now - this.transportAwayAt < holdMs;
  }

  /** Every job runs through here: an exception is a bug, and state may be half-updated. */
  private async guard(job: () => Promise<void>): Promise<void> {
    try {
      await job();
    } catch (err) {
      this.o.log.error("sink runtime failed; exiting so that a restart rebuilds from the file", { err });
      if (this.o.onCrash) this.o.onCrash(err);
      else process.exit(1);
    }
  }

  private async onBatch(batch: readonly Delivery[]): Promise<void> {
    const { model, metrics } = this.o;
    const ctx = this.ctx;
    ctx.now = this.now();
    this.lastInputAt = ctx.now;
    metrics.messagesIn.inc(undefined, batch.length);
    for (const d of batch) {
      if (this.replays) {
        ctx.partition = d.partition;
        ctx.offset = Number(d.offset);
        // Delivered again without a revoke in between: its effect is in memory or the file already.
        if (this.book.delivered(ctx.partition, ctx.offset)) {
          metrics.replayed.inc();
          continue;
        }
        this.book.seen(ctx.partition, ctx.offset);
      }
      model.accept(d, ctx);
    }
    if (this.replays) this.notePositions(batch);
    await this.afterInput();
  }

  /** pipeline_log_position: per partition, the offset after the last one of each run (offsets rise within a partition). */
  private notePositions(batch: readonly Delivery[]): void {
    for (let i = 0; i < batch.length; i++) {
      const d = batch[i]!;
      if (i + 1 < batch.length && batch[i + 1]!.partition === d.partition) continue;
      this.o.sink.logPosition.set(Number(d.offset) + 1, { partition: String(d.partition) });
    }
  }

  /** Moves ready units to pending, flushes when due, commits, and applies back-pressure. */
  private async afterInput(): Promise<void> {
    this.collect(this.o.model.takeReady());
    await this.flush(false);
    if (this.pending.length === 0) await this.commit(this.book.safePoints());
    this.gauges();
  }

  private collect(ready: ReadonlyArray<{ key: string; unit: U }>): void {
    if (ready.length === 0) return;
    if (this.pending.length === 0) this.pendingSince = this.now();
    for (const r of ready)
      this.pending.push({ key: r.key, unit: r.unit, origin: this.replays ? this.book.origin(r.key) : NO_ORIGIN });
  }

  /** Writes every pending unit in one transaction when due. Returns true when nothing is left pending. */
  private async flush(force: boolean): Promise<boolean> {
    if (this.pending.length === 0) return true;
    const now = this.now();
    const waited = now - this.pendingSince >= this.o.flushMs;
    // The write share leaves time for intake; once no input came for INPUT_IDLE_MS, waiting gains nothing.
    const shareAllows = this.o.store.mayWrite(now) || now - this.lastInputAt >= INPUT_IDLE_MS;
    const due = this.failure
      ? force || now >= this.failure.nextAt
      : force || this.pending.length >= (this.o.maxBatchRows ?? 50_000) || (waited && shareAllows);
    if (!due) {
      if (!this.failure && waited) this.flushSoon();
      return false;
    }
    if (await this.write()) return true;
    // The file was set aside: the rows go to a new file at once.
    if (this.failure === undefined) return this.write();
    return false;
  }

  /**
   * Writes every pending unit: one copy-on-write transaction per partition the
   * units go to, oldest first. A failure keeps that partition's units and the
   * later ones pending (in order); what was written stays written.
   */
  private async write(): Promise<boolean> {
    const { store, model, log, metrics } = this.o;
    const rowTime = (u: Written<U>) => model.rowTime(u.unit);
    const edit = model.editsStored ? (u: Written<U>) => model.editsStored!(u.unit) : undefined;
    const groups = store.route(this.pending, rowTime, edit);
    const t0 = performance.now();
    const started = this.now();
    const done = new Set<Written<U>>();
    for (const g of groups) {
      const appender = store.appender(g.period);
      if (store.missing(g.period)) log.warn("output file is missing; starting a new one", { file: appender.filePath });
      try {
        const w = model.layout(g.items, g.period);
        await appender.append(w.writes, w.inTransaction);
      } catch (err) {
        this.pending = this.pending.filter((u) => !done.has(u));
        this.release(done);
        await this.onWriteFailure(err, appender);
        return false;
      }
      let newest = -Infinity;
      for (const u of g.items) {
        done.add(u);
        const t = rowTime(u);
        if (t > newest) newest = t;
      }
      store.written(g.period, newest);
      model.onWritten?.(g.items);
    }
    metrics.flushSeconds.inc(undefined, (performance.now() - t0) / 1000);
    store.noteWriteTime(started, this.now());
    metrics.flushes.inc();
    metrics.messagesOut.inc(undefined, done.size);
    this.rowsWritten += done.size;
    this.pending = [];
    this.release(done);
    if (this.failure) {
      log.info("HDF5 writes succeed again", { rows: done.size });
      this.failure = undefined;
    }
    this.resumeIntake();
    log.debug("rows written", { rows: done.size, partitions: groups.length });
    return true;
  }

  /** Written units no longer hold the commit point back, unless a unit of the same key is still pending. */
  private release(done: ReadonlySet<Written<U>>): void {
    const stillPending = new Set(this.pending.map((u) => u.key));
    for (const u of done) if (!stillPending.has(u.key)) this.book.release(u.key);
  }

  /**
   * Seals partitions whose period is over, removes those past the retention,
   * and refreshes the store's gauges. Runs with the wall-clock tick, only when
   * nothing is pending (a seal never races a write).
   */
  private async housekeep(): Promise<void> {
    const { store, log } = this.o;
    if (this.pending.length > 0 || this.failure) return;
    for (const period of store.dueForSeal()) {
      try {
        await store.seal(period);
      } catch (err) {
        log.warn("could not seal a partition; it stays open and is tried again", { period: period.id, err });
        break;
      }
    }
    const removed = store.retire();
    if (removed.length > 0) this.o.sink.partitionsRemoved.inc(undefined, removed.length);
    try {
      await store.refreshIndex();
    } catch (err) {
      log.warn("could not rewrite the store's index file; it is tried again", { err });
    }
    this.storeGauges();
  }

  private storeGauges(): void {
    const s = this.o.store.status();
    const { sink } = this.o;
    sink.storePartitions.set(s.partitions - s.sealed, { state: "open" });
    sink.storePartitions.set(s.sealed, { state: "sealed" });
    sink.storeBytes.set(s.storeBytes);
    if (Number.isFinite(s.freeBytes)) sink.diskFreeBytes.set(s.freeBytes);
    if (s.oldestRow) sink.oldestRow.set(Date.parse(s.oldestRow) / 1000);
    sink.storeDegraded.set(s.state === "degraded" ? 1 : 0);
    sink.lateRows.set(this.o.store.lateRows);
  }

  private resumeIntake(): void {
    if (!this.paused) return;
    this.paused = false;
    this.o.consumer.resume();
    this.o.log.info("intake resumed");
  }

  private async onWriteFailure(err: unknown, appender: H5Appender): Promise<void> {
    const { log, sink, store } = this.o;
    sink.flushFailures.inc();
    const aside = await store.failed(err, appender);
    if (aside) {
      this.setAsideCount(aside.setAside, 1);
      this.failure = undefined;
      return;
    }
    const now = this.now();
    const prev = this.failure;
    const attempt = prev ? prev.attempt + 1 : 0;
    this.failure = {
      reason: errorText(err),
      since: prev?.since ?? now,
      attempt,
      nextAt: now + backoffDelay(this.o.retry, attempt, this.o.random),
    };
    if (!prev)
      log.error("HDF5 write failed; rows kept for retry", {
        err,
        file: appender.filePath,
        pendingRows: this.pending.length,
      });
    else log.debug("HDF5 write failed again", { reason: this.failure.reason, attempt });
    if (!this.paused && this.pending.length >= this.o.maxPendingRows) {
      this.paused = true;
      this.o.consumer.pause();
      log.warn("intake paused: rows pending behind failing writes", {
        pendingRows: this.pending.length,
        limit: this.o.maxPendingRows,
      });
    }
  }

  private async commit(points: ReturnType<CommitBook["safePoints"]>): Promise<void> {
    if (!this.replays || points.length === 0) return;
    try {
      await this.o.consumer.commit(points.map((p) => this.withWatermarks(p)));
      this.book.markCommitted(points);
      this.o.sink.commits.inc();
    } catch (err) {
      // Not fatal: the log re-delivers from the last commit, and the file says what is written.
      this.o.sink.commitFailures.inc();
      this.o.log.warn("commit failed", { err });
    }
  }

  /**
   * The commit carries the partition's watermarks: every window they close was written before
   * this commit (commits wait until nothing is pending), so the next reader of the partition
   * may treat events of those windows as late, as this one did.
   */
  private withWatermarks(p: CommitPoint): CommitPoint {
    const m = this.marks.get(p.partition);
    if (!m || m.size === 0) return p;
    return { ...p, metadata: encodeWatermarks(m) };
  }

  /**
   * Partitions were handed to us (at the start, after a rebalance or a restart of the client):
   * what their previous reader committed as watermarks becomes ours, so that an event that was
   * late for it is late here too.
   */
  private async onAssign(assigned: readonly AssignedPartition[]): Promise<void> {
    const now = this.now();
    const keep = new Set(assigned.map((a) => a.partition));
    for (const partition of [...this.marks.keys()]) if (!keep.has(partition)) this.marks.delete(partition);
    let resumed = 0;
    let dropped = 0;
    for (const a of assigned) {
      const meta = decodeWatermarkMetadata(a.metadata);
      if (!meta) continue;
      dropped += meta.dropped;
      let m = this.marks.get(a.partition);
      if (!m) this.marks.set(a.partition, (m = new Map()));
      for (const [key, ms] of meta.watermarks) {
        if (ms > (m.get(key) ?? -Infinity)) m.set(key, ms);
        this.o.model.resumeWatermark?.(key, ms, now);
        resumed++;
      }
    }
    if (resumed > 0 || dropped > 0)
      this.o.log.info("watermarks resumed from the partitions' last commits", {
        partitions: assigned.length,
        keys: resumed,
        ...(dropped > 0 ? { keysLeftOut: dropped } : {}),
      });
  }

  /**
   * Partitions go away. On stop: write what closed and commit the safe point
   * (open windows are rebuilt from the log at the next start). Otherwise the
   * log will re-deliver from the last commit to whoever owns the partition
   * next: on a rebalance or rejoin write the open windows as partial rows and
   * commit everything seen; then (and on a consumer restart) reset memory
   * and rebuild it from the file as the log re-delivers.
   */
  private async onRevoke(reason: RevokeReason): Promise<void> {
    const { model, log } = this.o;
    this.collect(model.takeReady());
    if (reason === "stop") {
      if (await this.flush(true)) await this.commit(this.book.safePoints());
      return;
    }
    const partial = reason !== "restart";
    const open = model.openWindows();
    if (partial) this.collect(model.drainOpen());
    // After a client restart the broker is likely away: the log replays from the last commit anyway.
    if (await this.flush(true)) {
      if (partial) await this.commit(this.book.allSeenPoints());
    } else if (this.pending.length > 0) {
      log.warn("could not write before the partitions moved; the log re-delivers what was pending", {
        reason,
        pendingRows: this.pending.length,
      });
      this.pending = [];
      this.resumeIntake();
    }
    this.book.forget();
    model.reset();
    await this.restore("rebuild", false);
    this.o.sink.rebuilds.inc({ reason });
    log.info("partitions revoked: memory rebuilt from the file", { reason, partialWindows: partial ? open : 0 });
    this.gauges();
  }

  /** Reads back the store's newest partitions into the model (a partition that cannot be read back is set aside). */
  private async restore(reason: RestoreContext["reason"], crashed: boolean): Promise<void> {
    const { model, store } = this.o;
    const tables = this.replays ? model.windowTables : [];
    const aside = await store.readBack(tables, (files, written) =>
      model.restore(files, {
        replays: this.replays,
        reason,
        crashed,
        now: this.now(),
        written,
        frontier: this.frontier,
      }),
    );
    this.setAsideCount("damaged", aside);
  }

  private setAsideCount(why: "damaged" | "old-schema", n: number): void {
    if (n > 0) this.o.sink.filesSetAside.inc({ reason: why }, n);
  }

  private gauges(): void {
    const { sink, model } = this.o;
    sink.pendingRows.set(this.pending.length);
    sink.openWindows.set(model.openWindows());
    sink.intakePaused.set(this.paused ? 1 : 0);
  }

  /**
   * Unhealthy while writes fail, and while the transport is away (a Kafka broker down): either way rows stop landing.
   * A disk that fills soon is reported (status().store) but is not unhealthy: rows still land.
   */
  healthy(): boolean {
    return this.failure === undefined && this.o.consumer.status?.()?.state !== "reconnecting";
  }

  /** For /healthz. */
  status(): Record<string, unknown> {
    const f = this.failure;
    const transport = this.o.consumer.status?.();
    return {
      rowsWritten: this.rowsWritten,
      sink: f
        ? {
            state: "failing",
            reason: f.reason,
            failingSince: new Date(f.since).toISOString(),
            pendingRows: this.pending.length,
            intakePaused: this.paused,
            attempts: f.attempt + 1,
          }
        : { state: "ok", pendingRows: this.pending.length, intakePaused: this.paused },
      openWindows: this.o.model.openWindows(),
      store: this.o.store.status(),
      ...(transport ? { transport } : {}),
    };
  }

  /** Stops the timer and nothing else, as a crash would (tests). */
  abandon(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
  }

  /**
   * A due write held back by the write share is tried again once input has been idle for
   * INPUT_IDLE_MS (or the share allows it), not only at the next wall-clock tick. Only with a
   * real timer (tickMs > 0; specs drive the clock themselves).
   */
  private flushSoon(): void {
    if (this.soon || (this.o.tickMs ?? 1000) <= 0) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.serial.run(() => this.guard(() => this.afterInput()));
    }, INPUT_IDLE_MS);
  }

  /**
   * Stops intake and writes what is closed. Where nothing replays, open
   * windows are written too, as partial rows; where the log replays they are
   * rebuilt from it at the next start. A final write that keeps failing is
   * retried for stopRetryMs, then reported (rows a log does not keep are lost).
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.o.consumer.stop();
    await this.serial.run(async () => {
      const { model } = this.o;
      this.collect(model.takeReady());
      if (!this.replays) this.collect(model.drainOpen());
      // Real time, not the injected clock: a stop must end however the clock is driven.
      const deadline = performance.now() + (this.o.stopRetryMs ?? 5_000);
      let ok = await this.flush(true);
      while (!ok && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, deadline - performance.now()))));
        ok = await this.flush(true);
      }
      if (ok) {
        await this.commit(this.book.safePoints());
        if (!this.replays) this.o.store.endRun();
      }
      this.rejections.rollOver();
      if (!ok)
        throw new Error(
          `final HDF5 write failed; ${this.pending.length} rows not stored` +
            (this.replays ? " (the log still holds their input)" : ""),
          { cause: this.failure?.reason },
        );
    });
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
