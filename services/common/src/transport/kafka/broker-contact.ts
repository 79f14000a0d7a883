import type { ConsumerStatus } from "../transport.js";

/**
 * Whether a consumer can reach the brokers, for /healthz (pure; the consumer
 * feeds it kafkajs's events). kafkajs does not say so itself: with the
 * brokers away it sometimes crashes and restarts (CRASH), and sometimes just
 * keeps retrying in place for as long as its backoff lasts. So both count:
 * a crash means away until the group is joined again, and no response from
 * any broker for longer than `staleMs` means away since the last one (idle
 * fetches return every maxWaitTime, heartbeats go out during long batches).
 * Joining the group (at the start and in a rebalance) is "rebalancing": a
 * JoinGroup request may rightly wait long for the other members.
 */
export class BrokerContact {
  private lastContact: number;
  private crash: { since: number; error: string } | undefined;
  private changed: number;
  private joining = true;

  constructor(
    now: number,
    private readonly staleMs: number,
  ) {
    this.lastContact = now;
    this.changed = now;
  }

  /** When a broker last answered (or the group was joined). */
  lastAnswer(): number {
    return this.lastContact;
  }

  /** A rebalance began: the consumer rejoins its group. */
  rebalancing(now: number): void {
    if (this.crash || this.joining) return;
    this.joining = true;
    this.changed = now;
  }

  /** A broker answered a request. */
  contact(now: number): void {
    if (this.crash) return; // only a join ends a crash
    if (!this.joining && now - this.lastContact > this.staleMs) this.changed = now;
    this.lastContact = now;
  }

  /** The consumer joined its group: connected from now. */
  joined(now: number): void {
    this.changed = now;
    this.joining = false;
    this.crash = undefined;
    this.lastContact = now;
  }

  /** kafkajs crashed the consumer and restarts it. */
  crashed(now: number, error: string): void {
    if (this.crash) this.crash = { since: this.crash.since, error };
    else this.crash = { since: this.awaySince(now) ?? now, error };
    this.joining = true; // the restart joins again
  }

  status(now: number): ConsumerStatus {
    if (this.crash) return { state: "reconnecting", since: iso(this.crash.since), error: this.crash.error };
    if (this.joining) return { state: "rebalancing", since: iso(this.changed) };
    const away = this.awaySince(now);
    if (away !== undefined)
      return {
        state: "reconnecting",
        since: iso(away),
        error: `no answer from the brokers for ${Math.round((now - away) / 1000)} s`,
      };
    return { state: "connected", since: iso(this.changed) };
  }

  private awaySince(now: number): number | undefined {
    return now - this.lastContact > this.staleMs ? this.lastContact : undefined;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
