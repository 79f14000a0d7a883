import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@cryptostream/common";
import type { HttpGet } from "./http-get.js";

/**
 * GET /api/v3/aggTrades, one request at a time, within Binance's request
 * weight budget: the weight used this minute comes back in
 * X-MBX-USED-WEIGHT-1M; when the next request would exceed the limit the
 * client waits for the next minute. 429: wait Retry-After, try again. 418
 * (IP banned): no more requests until Retry-After has passed; the backfill
 * of every symbol stops with filled=false.
 */

export interface RestAggTrade {
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  readonly m: boolean;
  readonly M: boolean;
}

/** Why a page could not be fetched; the backfill ends unfilled with this reason. */
export class BackfillStop extends Error {
  constructor(
    readonly reason: "banned" | "http_error" | "network" | "bad_response" | "aborted",
    detail: string,
  ) {
    super(detail);
  }
}

export interface AggTradesClientOptions {
  readonly baseUrl: string;
  readonly get: HttpGet;
  /** Binance's REQUEST_WEIGHT limit per minute (6000 on spot). */
  readonly weightLimit: number;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  readonly onRateLimited?: (status: 429 | 418) => void;
  readonly now?: () => number;
}

/** Weight of one aggTrades request, as Binance documents it (spot REST, "Compressed/Aggregate trades list"). */
export const AGG_TRADES_WEIGHT = 4;
/** Waited on a 429/418 without a usable Retry-After. */
const DEFAULT_RETRY_AFTER_S = 1;

function validTrade(t: unknown): t is RestAggTrade {
  if (typeof t !== "object" || t === null) return false;
  const r = t as Record<string, unknown>;
  return (
    Number.isSafeInteger(r.a) &&
    typeof r.p === "string" &&
    typeof r.q === "string" &&
    Number.isSafeInteger(r.f) &&
    Number.isSafeInteger(r.l) &&
    Number.isSafeInteger(r.T) &&
    typeof r.m === "boolean"
  );
}

export class AggTradesClient {
  private queue: Promise<unknown> = Promise.resolve();
  private usedWeight = 0;
  private usedMinute = -1;
  private bannedUntil = 0;
  private readonly now: () => number;
  requests = 0;

  constructor(private readonly o: AggTradesClientOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Up to `limit` trades with id >= fromId, oldest first. Throws BackfillStop. */
  page(symbol: string, fromId: number, limit: number, signal: AbortSignal): Promise<RestAggTrade[]> {
    const run = this.queue.then(() => this.fetchPage(symbol, fromId, limit, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async wait(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      throw new BackfillStop("aborted", "backfill timed out or was cancelled while waiting");
    }
  }

  private async fetchPage(symbol: string, fromId: number, limit: number, signal: AbortSignal): Promise<RestAggTrade[]> {
    for (;;) {
      if (signal.aborted) throw new BackfillStop("aborted", "backfill timed out or was cancelled");
      const now = this.now();
      if (now < this.bannedUntil)
        throw new BackfillStop("banned", `IP banned (418) until ${new Date(this.bannedUntil).toISOString()}`);
      const minute = Math.floor(now / 60_000);
      if (minute === this.usedMinute && this.usedWeight + AGG_TRADES_WEIGHT > this.o.weightLimit) {
        const waitMs = (minute + 1) * 60_000 - now + 50;
        this.o.log.warn("REST weight budget used up; waiting for the next minute", { used: this.usedWeight, waitMs });
        await this.wait(waitMs, signal);
        continue;
      }
      let res;
      try {
        this.requests++;
        res = await this.o.get(
          // The host as Binance's docs give it, also when copied with its /api/v3 path.
          `${this.o.baseUrl.replace(/\/+$/, "").replace(/\/api(\/v3)?$/, "")}/api/v3/aggTrades`,
          { symbol, fromId, limit },
          { signal, timeoutMs: this.o.requestTimeoutMs },
        );
      } catch (err) {
        if (signal.aborted) throw new BackfillStop("aborted", "backfill timed out or was cancelled");
        throw new BackfillStop("network", (err as Error).message);
      }
      const used = Number(res.headers["x-mbx-used-weight-1m"]);
      if (Number.isFinite(used)) {
        this.usedWeight = used;
        this.usedMinute = Math.floor(this.now() / 60_000);
      }
      if (res.status === 429 || res.status === 418) {
        const after = Number(res.headers["retry-after"]);
        const waitMs = (Number.isFinite(after) && after >= 0 ? after : DEFAULT_RETRY_AFTER_S) * 1000;
        this.o.onRateLimited?.(res.status);
        if (res.status === 418) {
          this.bannedUntil = this.now() + waitMs;
          throw new BackfillStop("banned", `418 from Binance: banned for ${waitMs} ms`);
        }
        this.o.log.warn("REST rate limit hit (429); waiting Retry-After", { symbol, waitMs });
        await this.wait(waitMs, signal);
        continue;
      }
      if (res.status !== 200)
        throw new BackfillStop("http_error", `HTTP ${res.status}: ${JSON.stringify(res.data).slice(0, 200)}`);
      if (!Array.isArray(res.data) || !res.data.every(validTrade))
        throw new BackfillStop(
          "bad_response",
          `not a list of aggregate trades: ${JSON.stringify(res.data).slice(0, 200)}`,
        );
      return res.data;
    }
  }
}
