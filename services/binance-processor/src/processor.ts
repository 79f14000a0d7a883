/**
 * Wires transport -> decode -> aggregate -> HDF5 for the market stream. The
 * meaning lives in aggregate/ and events/; this file only moves data and
 * keeps the books (metrics, rejections, commit points).
 */

import {
  type Consumer,
  type Delivery,
  jsonCodec,
  type Logger,
  Rejections,
  Serial,
  type StandardMetrics,
} from "@cryptostream/common";
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { datasetPaths, readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import type { CommitPosition } from "@cryptostream/common/window/commit-tracker";
import { MarketAggregator, type ClosedWindow } from "./aggregate/market-aggregator.js";
import type { StreamSpec } from "./aggregate/spec.js";
import { parseMarketMessage } from "./events/market-event.js";
import { marketWrites } from "./sink/market-table.js";
import type { DanfoLike } from "./aggregate/reduce-danfo.js";
import { windowFrame } from "./aggregate/window-frame.js";

export interface ProcessorDeps {
  readonly spec: StreamSpec;
  readonly dfd: DanfoLike;
  readonly aggregator: MarketAggregator;
  readonly appender: H5Appender;
  readonly consumer: Consumer;
  readonly topic: string;
  /**
   * "kafka": the log is replayed from the last commit after a restart, so
   * commits wait for open windows, open windows are not written at stop, and
   * windows already in the file are skipped. "zmq": nothing is replayed.
   */
  readonly transport: "zmq" | "kafka";
  readonly symbols: ReadonlySet<string> | null;
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly maxFutureSkewMs: number;
  /**
   * Closed windows wait up to this long to be written together: a flush
   * costs about 1 ms per table touched, whatever the rows, so folding the
   * closing bursts of many symbols into one flush saves most of it. 0 writes
   * after every batch. Commits (Kafka) follow the flush.
   */
  readonly flushMs?: number;
  /** Write at once when this many closed windows are waiting (bounds memory). */
  readonly maxPendingWindows?: number;
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly now?: () => number;
}

export class MarketProcessor {
  private readonly serial = new Serial();
  private readonly rejections: Rejections;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteError: unknown;
  private stopping = false;
  /** Closed windows not yet written, and when the oldest of them closed. */
  private pending: ClosedWindow[] = [];
  private pendingSince = 0;
  /** Values of the event being parsed (reused: the aggregator copies them). */
  private readonly scratch: Float64Array;
  rowsWritten = 0;

  constructor(private readonly d: ProcessorDeps) {
    this.rejections = new Rejections(d.metrics.rejects, d.log);
    this.now = d.now ?? Date.now;
    this.scratch = new Float64Array(d.spec.fields.length);
  }

  async start(): Promise<void> {
    this.d.appender.prepare();
    if (this.d.transport === "kafka") {
      await this.restoreWrittenWindows();
      this.d.consumer.onRevoke?.(() => this.serial.run(() => this.onRevoke()));
    }
    await this.d.consumer.start(this.d.topic, (batch) => this.serial.run(() => this.onBatch(batch)));
    // The wall clock closes windows of symbols that went quiet.
    this.timer = setInterval(() => {
      void this.serial.run(async () => {
        this.d.aggregator.tick(this.now());
        await this.flush(this.d.aggregator.takeClosed());
      });
    }, 1000);
  }

  healthy(): boolean {
    return this.lastWriteError === undefined;
  }

  private async onBatch(batch: readonly Delivery[]): Promise<void> {
    const { aggregator, spec, symbols, metrics } = this.d;
    const now = this.now();
    const kafka = this.d.transport === "kafka";
    const scratch = this.scratch;
    let newest = -Infinity;
    metrics.messagesIn.inc(undefined, batch.length);
    for (const m of batch) {
      let position: CommitPosition | undefined;
      if (kafka) {
        position = { partition: m.partition, offset: Number(m.offset) };
        aggregator.commits.seen(position);
      }
      let msg: unknown;
      try {
        msg = jsonCodec.decode(m.value);
      } catch (err) {
        this.rejections.reject("not_json", (err as Error).message);
        continue;
      }
      const p = parseMarketMessage(msg, spec, symbols, scratch);
      if (!p.ok) {
        this.rejections.reject(p.reason, p.detail);
        continue;
      }
      if (p.time > now + this.d.maxFutureSkewMs) {
        this.rejections.reject(
          "bad_event_time",
          `event time ${p.time} is more than ${this.d.maxFutureSkewMs} ms ahead of the clock`,
        );
        continue;
      }
      const admitted = aggregator.add(p.symbol, p.time, p.values, now, position);
      if (admitted === "late") {
        this.rejections.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
        continue;
      }
      if (admitted === "replayed") {
        // A log replay after a restart: the window is already in the file.
        metrics.replayed.inc();
        continue;
      }
      if (p.time > newest) newest = p.time;
    }
    if (newest > -Infinity) metrics.lastEventTime.set(newest / 1000);
    await this.flush(aggregator.takeClosed());
  }

  /**
   * Queues closed windows and writes the queue once its oldest window has
   * waited flushMs (or it is long, or `force`), then commits. Commit points
   * are only computed right after a flush that emptied the queue: a window
   * released by the aggregator but not yet written must not be committed past.
   */
  private async flush(closed: readonly ClosedWindow[], force = false): Promise<void> {
    const now = this.now();
    if (closed.length > 0) {
      if (this.pending.length === 0) this.pendingSince = now;
      for (const w of closed) this.pending.push(w);
    }
    if (this.pending.length === 0) {
      await this.commit();
      return;
    }
    const due =
      force ||
      now - this.pendingSince >= (this.d.flushMs ?? 0) ||
      this.pending.length >= (this.d.maxPendingWindows ?? 50_000);
    if (!due) return;
    const batch = this.pending;
    this.pending = [];
    await this.write(batch);
    await this.commit();
  }

  /** Commits (Kafka) up to where everything consumed is in the file or still replayable. */
  private async commit(): Promise<void> {
    if (this.d.transport !== "kafka") return;
    const points = this.d.aggregator.commits.advance();
    if (points.length === 0) return;
    await this.d.consumer.commit(
      points.map((p) => ({ topic: this.d.topic, partition: p.partition, offset: String(p.offset) })),
    );
  }

  /**
   * Partitions are being taken away (rebalance) or the consumer is stopping.
   * On a rebalance another replica may continue these partitions from the
   * commit point, so open windows are written now as partial rows
   * (complete = 0, merged by readers) and everything seen is committed. On a
   * stop, open windows are left to be rebuilt from the log at the next start.
   */
  private async onRevoke(): Promise<void> {
    if (!this.stopping) {
      await this.flush(this.d.aggregator.drain(), true);
      this.d.aggregator.commits.releaseAll();
    }
    await this.flush([], true);
  }

  /** After a restart on Kafka: windows already in the file are not written again. */
  private async restoreWrittenWindows(): Promise<void> {
    const { spec, aggregator, appender } = this.d;
    const sizeMs = Math.round(this.d.windowSeconds * 1000);
    const restored = await withFile(appender.filePath, (file) => {
      const out: Array<[string, number]> = [];
      for (const p of datasetPaths(file)) {
        const [, stream, symbol] = p.split("/");
        if (stream !== spec.stream || !symbol) continue;
        // Windows close in order per symbol: the newest complete row is enough (read a tail).
        const cols = readColumns(file, p, ["window_start", "complete"], 1024);
        let last = -Infinity;
        cols.get("window_start")!.forEach((ws, i) => {
          if (Number(cols.get("complete")![i]) === 1) last = Math.max(last, Number(ws));
        });
        if (last > -Infinity) out.push([symbol, last + sizeMs]);
      }
      return out;
    });
    const now = this.now();
    for (const [symbol, closedBefore] of restored ?? []) aggregator.restore(symbol, closedBefore, now);
    if (restored?.length) this.d.log.info("restored written windows", { symbols: restored.length });
  }

  private async write(closed: readonly ClosedWindow[]): Promise<void> {
    if (closed.length === 0) return;
    const { spec, windowSeconds, latenessSeconds } = this.d;
    try {
      const t0 = performance.now();
      const tables = windowFrame(this.d.dfd, spec, closed);
      await this.d.appender.append(marketWrites(spec, tables, windowSeconds, latenessSeconds));
      this.d.metrics.flushSeconds.inc(undefined, (performance.now() - t0) / 1000);
      this.d.metrics.flushes.inc();
      this.lastWriteError = undefined;
    } catch (err) {
      this.lastWriteError = err;
      this.d.log.error("HDF5 write failed", { err, file: this.d.appender.filePath, windows: closed.length });
      throw err;
    }
    this.rowsWritten += closed.length;
    this.d.metrics.messagesOut.inc(undefined, closed.length);
    this.d.log.debug("windows written", { windows: closed.length });
  }

  /** Stops the timer and nothing else, as a crash would (tests). */
  abandon(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Stops intake and closes. With ZeroMQ every open window is written, marked
   * incomplete (nothing would bring its events back). With Kafka open windows
   * are rebuilt from the log at the next start; only the commit is made.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.d.consumer.stop();
    await this.serial.run(async () => {
      // Closed windows waiting for their flush are written either way.
      const open = this.d.transport === "zmq" ? this.d.aggregator.drain() : [];
      await this.flush(open, true);
    });
    this.rejections.rollOver();
  }
}
