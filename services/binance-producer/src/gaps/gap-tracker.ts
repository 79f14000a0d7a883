import type { LossCause } from "../feed/binance-feed.js";

/**
 * Bounds the gaps between two connections with exchange event times: `from`
 * is the largest E received before the loss (events with E <= from were
 * delivered), `to` the first E received after it (events with E >= to are
 * delivered); what is missing lies in the open interval (from, to).
 */

export interface Gap {
  readonly from: number;
  readonly to: number;
  readonly cause: LossCause;
}

export class GapTracker {
  private maxE: number | undefined;
  private open: { from: number; cause: LossCause } | undefined;

  /** A connection that delivered is gone. Nothing delivered yet: nothing to bound, no gap. */
  lost(cause: LossCause): void {
    if (this.maxE === undefined || this.open) return; // a second loss before data extends the first gap
    this.open = { from: this.maxE, cause };
  }

  /** Sees every live event; returns the gap this event closes, if it is the first after a loss. */
  observe(eventTime: number): Gap | undefined {
    const open = this.open;
    this.open = undefined;
    this.maxE = this.maxE === undefined ? eventTime : Math.max(this.maxE, eventTime);
    return open ? { from: open.from, to: eventTime, cause: open.cause } : undefined;
  }

  get pending(): boolean {
    return this.open !== undefined;
  }
}
