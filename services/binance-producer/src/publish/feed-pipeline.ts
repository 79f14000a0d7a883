import type { Counter, Logger } from "@cryptostream/common";
import type { Rejections } from "@cryptostream/common";
import { classifyFrame } from "../events/classify.js";
import type { FrameKind, LossCause } from "../feed/binance-feed.js";
import { GapTracker } from "../gaps/gap-tracker.js";
import type { MarkedStream } from "../gaps/gap-marker.js";
import { type LaneDeps, SymbolLane } from "./symbol-lane.js";

/**
 * From frames to published messages: classifies each frame, bounds gaps,
 * and routes events to their symbol's lane (dedupe, markers, backfill).
 * Klines are published as received once closed, once per kline.
 */

export interface PipelineMetrics {
  readonly duplicates: Counter;
  readonly markers: Counter;
  readonly backfilled: Counter;
  readonly unfilled: Counter;
}

export interface PipelineOptions {
  readonly stream: MarkedStream;
  readonly symbols: readonly string[];
  /** e.g. ["kline_1m"]; empty when no kline stream is subscribed. */
  readonly klineStreams: readonly string[];
  publish(key: string, text: string): void;
  onEventTime(eventTimeMs: number): void;
  readonly backfill: LaneDeps["backfill"];
  readonly maxQueued: number;
  readonly metrics: PipelineMetrics;
  readonly rejections: Rejections;
  readonly log: Logger;
}

export class FeedPipeline {
  private readonly gaps = new GapTracker();
  private readonly lanes = new Map<string, SymbolLane>();
  private readonly lastKline = new Map<string, number>();

  constructor(private readonly o: PipelineOptions) {
    const symbols = o.symbols.map((s) => s.toUpperCase());
    for (const symbol of symbols) {
      this.lanes.set(
        symbol,
        new SymbolLane(symbol, {
          stream: o.stream,
          symbols,
          publish: o.publish,
          duplicate: () => o.metrics.duplicates.inc({ stream: o.stream }),
          backfill: o.backfill,
          maxQueued: o.maxQueued,
          marker: (m, result) => {
            o.metrics.markers.inc({ cause: m.data.cause, filled: String(m.data.filled) });
            if (m.data.missing) o.metrics.backfilled.inc(undefined, m.data.missing);
            if (result && !result.complete) o.metrics.unfilled.inc({ reason: result.reason ?? "unknown" });
            o.log.info("gap marker", { ...m.data, symbols: undefined, backfillStopped: result?.reason });
          },
        }),
      );
    }
  }

  lost(cause: LossCause): void {
    this.gaps.lost(cause);
  }

  /** What a frame is, without acting on it. */
  kind(text: string): FrameKind {
    const f = classifyFrame(text, this.o.stream, this.o.klineStreams);
    return f.kind === "event" || f.kind === "kline" || f.kind === "marker"
      ? "data"
      : f.kind === "serverShutdown"
        ? "serverShutdown"
        : "other";
  }

  frame(text: string, conn: number): FrameKind {
    const f = classifyFrame(text, this.o.stream, this.o.klineStreams);
    switch (f.kind) {
      case "event": {
        const lane = this.lanes.get(f.symbol);
        if (!lane) {
          this.o.rejections.reject("unknown_symbol", `event of unsubscribed symbol ${f.symbol}`);
          return "other";
        }
        this.o.onEventTime(f.eventTime);
        const gap = this.gaps.observe(f.eventTime);
        if (gap) for (const l of this.lanes.values()) l.gap(gap, conn);
        lane.live({ text, seq: f.seq, conn });
        return "data";
      }
      case "marker": {
        const lane = this.lanes.get(f.symbol);
        if (!lane) {
          this.o.rejections.reject("unknown_symbol", `gap marker of unsubscribed symbol ${f.symbol}`);
          return "other";
        }
        lane.forward(text);
        return "data";
      }
      case "kline": {
        if (!f.closed) return "data";
        // Once per stream and kline start: a roll-over's two connections both deliver the overlap.
        const key = f.stream;
        const last = this.lastKline.get(key);
        if (last !== undefined && f.openTime <= last) {
          this.o.metrics.duplicates.inc({ stream: "kline" });
          return "data";
        }
        this.lastKline.set(key, f.openTime);
        this.o.publish(f.symbol, text);
        return "data";
      }
      case "serverShutdown":
        return "serverShutdown";
      case "reply":
        return "other";
      case "malformed":
        this.o.rejections.reject("malformed_frame", `${f.reason}: ${text.slice(0, 200)}`);
        return "other";
    }
  }

  /** Lets running backfills finish (bounded by their own timeouts), or cancels them. */
  async settle(cancel: boolean): Promise<void> {
    for (const l of this.lanes.values()) if (cancel) l.cancel();
    await Promise.all([...this.lanes.values()].map((l) => l.whenIdle()));
  }
}
