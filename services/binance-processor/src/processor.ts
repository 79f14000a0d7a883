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
  readonly symbols: ReadonlySet<string> | null;
  readonly windowSeconds: number;
  readonly latenessSeconds: number;
  readonly maxFutureSkewMs: number;
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
  rowsWritten = 0;

  constructor(private readonly d: ProcessorDeps) {
    this.rejections = new Rejections(d.metrics.rejects, d.log);
    this.now = d.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.d.appender.prepare();
    await this.d.consumer.start(this.d.topic, (batch) => this.serial.run(() => this.onBatch(batch)));
    // The wall clock closes windows of symbols that went quiet.
    this.timer = setInterval(() => {
      void this.serial.run(async () => {
        this.d.aggregator.tick(this.now());
        await this.write(this.d.aggregator.takeClosed());
      });
    }, 1000);
  }

  healthy(): boolean {
    return this.lastWriteError === undefined;
  }

  private async onBatch(batch: readonly Delivery[]): Promise<void> {
    const { aggregator, spec, symbols, metrics } = this.d;
    const now = this.now();
    for (const m of batch) {
      metrics.messagesIn.inc();
      let msg: unknown;
      try {
        msg = jsonCodec.decode(m.value);
      } catch (err) {
        this.rejections.reject("not_json", (err as Error).message);
        continue;
      }
      const p = parseMarketMessage(msg, spec, symbols);
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
      if (!aggregator.add(p.symbol, p.time, p.values, now)) {
        this.rejections.reject("late", `${p.symbol} event at ${p.time} falls in a window that already closed`);
        continue;
      }
      metrics.lastEventTime.set(p.time / 1000);
    }
    await this.write(aggregator.takeClosed());
  }

  private async write(closed: readonly ClosedWindow[]): Promise<void> {
    if (closed.length === 0) return;
    const { spec, windowSeconds, latenessSeconds } = this.d;
    try {
      const tables = windowFrame(this.d.dfd, spec, closed);
      await this.d.appender.append(marketWrites(spec, tables, windowSeconds, latenessSeconds));
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

  /** Stops intake, writes every open window (marked incomplete), closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.d.consumer.stop();
    await this.serial.run(async () => {
      await this.write(this.d.aggregator.drain());
    });
    this.rejections.rollOver();
  }
}
