/**
 * The polling loop: every poll interval, fetch the tweets newer than since_id
 * (following pagination), publish each non-empty response, then remember the
 * new since_id. Failures are retried inside the poll, so a poll's tweets are
 * never lost; it only ends by succeeding or by stop.
 *
 * Why since_id advances only after the last page: recent search returns the
 * newest tweets first, and next_token walks towards older ones, down to
 * since_id. The first page's meta.newest_id is the newest tweet of the whole
 * poll; later pages are older. Saving it before the older pages are published
 * would make a crash (or stop) mid-pagination skip those older pages for good.
 * So the poll saves the first page's newest_id once every page is published.
 * A crash mid-pagination re-fetches the pages already published: delivery is
 * at-least-once, duplicates are possible, gaps are not. Tweets posted while
 * paging are newer than that newest_id and come with the next poll.
 *
 * Why a poll's pages are published oldest first: the processor counts tweets
 * in event-time windows that close once a tweet past their end + lateness has
 * arrived. Published in the order the API serves them (newest page first), the
 * newest page would close the windows the older pages still belong to, and
 * their tweets, on time when posted, would count as late. So the poll holds its
 * pages until the last one is fetched, then publishes them in reverse (each
 * response is itself sorted by the processor). At most `maxHeldPages` are held:
 * a backlog longer than that (a restart after hours of downtime) is published
 * in runs of that many pages, each run oldest first; only there can a page
 * reach the processor after a newer one.
 *
 * Without a since_id (first start, or a since_id the API no longer accepts),
 * only the newest page is taken: following next_token there would walk back
 * through the whole 7-day search window.
 */
import type { Logger, StandardMetrics } from "@cryptostream/common";
import type { Clock } from "./clock.js";
import {
  type BackoffPolicy,
  type RateLimitInfo,
  backoffMs,
  waitAfterRateLimited,
  waitAfterSuccess,
} from "./rate-limit.js";
import { AbortError, type SearchClient, type SearchResult } from "./search-client.js";
import { type SearchResponse, newestCreatedAtMs, tweetCount } from "./search-response.js";

/** 50 pages of up to 100 tweets: every poll at the default 10 s fits many times over. */
export const DEFAULT_MAX_HELD_PAGES = 50;

export interface PollerDeps {
  readonly client: SearchClient;
  /** Turns a response into bytes; a throw means this response can never be published. */
  readonly encode: (body: SearchResponse) => Buffer;
  /** Hands bytes to the transport; resolves once the transport has taken them. */
  readonly send: (key: string, value: Buffer) => Promise<void>;
  readonly store: { save(sinceId: string): Promise<void> };
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  readonly clock: Clock;
}

export interface PollerOptions {
  readonly pollMs: number;
  readonly backoff: BackoffPolicy;
  /** Pause between calls while the API rejects the token (or the request). */
  readonly authRetryMs: number;
  /** On stop, how long an in-flight publish may still finish (so its since_id gets saved). */
  readonly publishGraceMs: number;
  /** Pages of one poll held to be published oldest first (see above); default 50 (5,000 tweets). */
  readonly maxHeldPages?: number;
  readonly initialSinceId?: string;
}

export type Phase =
  | "starting"
  | "polling"
  | "idle"
  | "rate_limited"
  | "auth_error"
  | "client_error"
  | "backing_off"
  | "stopped";

export interface PollerStatus {
  readonly phase: Phase;
  readonly startedAtMs: number;
  readonly lastSuccessAtMs?: number;
  /** While rate limited: when the announced window resets (local clock). */
  readonly waitingUntilMs?: number;
  readonly lastProblem?: string;
  readonly sinceId?: string;
}

/** How one failed call is handled: a key for "log once per change", a log line, a wait. */
interface FailurePlan {
  readonly key: string;
  readonly reason: string;
  readonly level: "warn" | "error";
  readonly msg: string;
  readonly fields: Record<string, unknown>;
  readonly waitMs: number;
  readonly phase: Phase;
}

export class Poller {
  private readonly controller = new AbortController();
  private loop: Promise<void> | undefined;
  private sinceId: string | undefined;
  /** No call before this time (a used-up rate-limit window). */
  private holdUntilMs = 0;
  private lastProblem: string | undefined;
  private failuresInRow = 0;
  private phase: Phase = "starting";
  private readonly startedAtMs: number;
  private lastSuccessAtMs: number | undefined;
  private waitingUntilMs: number | undefined;

  constructor(
    private readonly deps: PollerDeps,
    private readonly opts: PollerOptions,
  ) {
    this.sinceId = opts.initialSinceId;
    this.startedAtMs = deps.clock.now();
  }

  /** Starts the loop in the background; `done` settles when it ends (rejects only on a bug). */
  start(): Promise<void> {
    this.loop ??= this.run(this.controller.signal);
    return this.loop;
  }

  /** Cancels a pending request or wait, lets an in-flight publish finish within the grace time, and waits for the loop. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
    this.phase = "stopped";
  }

  status(): PollerStatus {
    return {
      phase: this.phase,
      startedAtMs: this.startedAtMs,
      lastSuccessAtMs: this.lastSuccessAtMs,
      waitingUntilMs: this.waitingUntilMs,
      lastProblem: this.lastProblem,
      sinceId: this.sinceId,
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    try {
      while (!signal.aborted) {
        const startedAt = clock.now();
        await this.pollOnce(signal);
        this.phase = "idle";
        // Fixed rate: the next poll starts one interval after this one started,
        // unless the rate-limit window is used up for longer.
        const wait = Math.max(startedAt + this.opts.pollMs, this.holdUntilMs) - clock.now();
        await clock.sleep(Math.max(0, wait), signal);
      }
    } catch (err) {
      if (!(err instanceof AbortError)) throw err;
    }
  }

  /** One poll: every page since since_id, published; returns after since_id is saved. */
  private async pollOnce(signal: AbortSignal): Promise<void> {
    const { client, clock, metrics, log } = this.deps;
    let paginate = this.sinceId !== undefined;
    let nextToken: string | undefined;
    let firstNewestId: string | undefined;
    let pages = 0;
    let tweets = 0;
    let published = 0;
    let tokenRestarts = 0;
    // Pages fetched and not yet published, newest first (the order of the API).
    const held: SearchResponse[] = [];
    const publishHeld = async (): Promise<void> => {
      for (const body of held.reverse()) {
        if (await this.publish(body, body.meta.newest_id!, signal)) published += 1;
        const newest = newestCreatedAtMs(body);
        if (newest !== undefined && newest / 1000 > metrics.lastEventTime.get())
          metrics.lastEventTime.set(newest / 1000);
      }
      held.length = 0;
    };

    for (;;) {
      const hold = this.holdUntilMs - clock.now();
      if (hold > 0) {
        this.enter("rate_limited", this.holdUntilMs);
        await clock.sleep(hold, signal);
      }
      // While retrying after a failure the phase stays that failure's (health must
      // not flip to fine for the duration of each retry); only a success clears it.
      if (this.lastProblem === undefined) this.enter("polling");
      const res = await client.search({ sinceId: this.sinceId, nextToken }, signal);

      if (res.kind !== "ok") {
        // A since_id or next_token the API refuses cannot succeed by retrying.
        if (res.kind === "clientError" && res.invalidParams.includes("next_token") && nextToken !== undefined) {
          log.warn(
            "Twitter API refused the pagination token; restarting this poll from its first page (pages fetched so far are dropped)",
            {
              status: res.status,
            },
          );
          nextToken = undefined;
          firstNewestId = undefined;
          pages = 0;
          held.length = 0;
          // Should the API keep refusing its own tokens, do not spin through the rate limit.
          if (tokenRestarts++ > 0) await clock.sleep(this.opts.authRetryMs, signal);
          continue;
        }
        if (res.kind === "clientError" && res.invalidParams.includes("since_id") && this.sinceId !== undefined) {
          log.warn(
            "Twitter API refused the stored since_id (older than its search window?); continuing from the newest tweets",
            {
              status: res.status,
              sinceId: this.sinceId,
              detail: res.detail,
            },
          );
          this.sinceId = undefined;
          paginate = false;
          nextToken = undefined;
          firstNewestId = undefined;
          pages = 0;
          held.length = 0;
          continue;
        }
        const plan = this.planFailure(res);
        this.failuresInRow += 1;
        metrics.rejects.inc({ reason: plan.reason });
        metrics.reconnects.inc();
        if (plan.key !== this.lastProblem) {
          log[plan.level](plan.msg, { ...plan.fields, retryInMs: plan.waitMs });
          this.lastProblem = plan.key;
        } else {
          log.debug(plan.msg, {
            ...plan.fields,
            retryInMs: plan.waitMs,
            failuresInRow: this.failuresInRow,
          });
        }
        this.enter(plan.phase, plan.phase === "rate_limited" ? clock.now() + plan.waitMs : undefined);
        await clock.sleep(plan.waitMs, signal);
        continue;
      }

      this.onSuccessfulCall(res.rate);
      const body = res.body;
      pages += 1;
      const count = tweetCount(body);
      tweets += count;
      metrics.messagesIn.inc(undefined, count);
      if (pages === 1) firstNewestId = body.meta.newest_id;

      if (body.meta.result_count > 0 && body.meta.newest_id !== undefined) {
        held.push(body);
        if (held.length >= (this.opts.maxHeldPages ?? DEFAULT_MAX_HELD_PAGES)) await publishHeld();
      } else {
        log.debug("no new tweets; empty response not published", {
          sinceId: this.sinceId,
          page: pages,
        });
      }

      const token = body.meta.next_token;
      if (token !== undefined && paginate) {
        nextToken = token;
        // Stop between pages: since_id stays where it was, the next start re-fetches this poll.
        if (signal.aborted) throw new AbortError();
        continue;
      }
      if (token !== undefined) log.debug("no since_id yet: taking only the newest page, not following next_token");
      break;
    }

    await publishHeld();
    if (firstNewestId !== undefined) await this.advance(firstNewestId);
    this.lastSuccessAtMs = clock.now();
    if (tweets > 0)
      log.info("poll published", {
        pages,
        tweets,
        responses: published,
        sinceId: this.sinceId,
      });
    else log.debug("poll found no new tweets", { sinceId: this.sinceId });
  }

  private enter(phase: Phase, waitingUntilMs?: number): void {
    this.phase = phase;
    this.waitingUntilMs = waitingUntilMs;
  }

  private onSuccessfulCall(rate: RateLimitInfo): void {
    const { clock, log } = this.deps;
    if (this.lastProblem !== undefined) {
      log.info("Twitter API calls succeed again", {
        after: this.lastProblem,
        failedCalls: this.failuresInRow,
      });
    }
    this.lastProblem = undefined;
    this.failuresInRow = 0;
    this.enter("polling");
    const hold = waitAfterSuccess(rate, clock.now());
    if (hold > 0) {
      this.holdUntilMs = clock.now() + hold;
      log.info("rate-limit window used up; next call waits for its reset", {
        waitMs: hold,
        limit: rate.limit,
      });
    }
  }

  private planFailure(res: Exclude<SearchResult, { kind: "ok" }>): FailurePlan {
    const { clock } = this.deps;
    const backoff = (): number => backoffMs(this.failuresInRow, this.opts.backoff, clock.random());
    switch (res.kind) {
      case "rateLimited": {
        const { waitMs, source } = waitAfterRateLimited(
          res.rate,
          clock.now(),
          this.failuresInRow,
          this.opts.backoff,
          clock.random(),
        );
        return {
          key: "rate:429",
          reason: "rate_limited",
          level: "warn",
          msg: "Twitter API rate limit reached (429); waiting, then retrying the same request",
          fields: { status: 429, waitSource: source },
          waitMs,
          phase: "rate_limited",
        };
      }
      case "authError":
        return {
          key: `auth:${res.status}`,
          reason: "auth",
          level: "error",
          msg: `Twitter API rejected the bearer token (${res.status}): check TWITTER_BEARER_TOKEN`,
          fields: { status: res.status, detail: res.detail },
          waitMs: this.opts.authRetryMs,
          phase: "auth_error",
        };
      case "clientError":
        return {
          key: `client:${res.status}`,
          reason: "client_error",
          level: "error",
          msg: `Twitter API refused the request (${res.status}): check TWITTER_QUERY and TWITTER_API_URL`,
          fields: {
            status: res.status,
            detail: res.detail,
            invalidParams: res.invalidParams,
          },
          waitMs: this.opts.authRetryMs,
          phase: "client_error",
        };
      case "serverError":
        return {
          key: `server:${res.status}`,
          reason: "server_error",
          level: "warn",
          msg: `Twitter API server error (${res.status}); retrying with backoff`,
          fields: { status: res.status, detail: res.detail },
          waitMs: backoff(),
          phase: "backing_off",
        };
      case "malformed":
        return {
          key: "malformed",
          reason: "malformed_response",
          level: "warn",
          msg: "Twitter API answered 200 with an unusable body; retrying with backoff",
          fields: { status: res.status, problem: res.reason },
          waitMs: backoff(),
          phase: "backing_off",
        };
      case "networkError":
        return {
          key: `network:${res.code}`,
          reason: "network_error",
          level: "warn",
          msg: "Twitter API unreachable; retrying with backoff",
          fields: { code: res.code, error: res.message },
          waitMs: backoff(),
          phase: "backing_off",
        };
    }
  }

  /**
   * Encodes and sends one response, retrying the transport with backoff until
   * it takes it. Returns false only when the response cannot be encoded.
   */
  private async publish(body: SearchResponse, key: string, signal: AbortSignal): Promise<boolean> {
    const { clock, log, metrics } = this.deps;
    let bytes: Buffer;
    try {
      bytes = this.deps.encode(body);
    } catch (err) {
      // Deterministic: retrying would fail the same way forever.
      metrics.rejects.inc({ reason: "encode_failed" });
      log.error("cannot encode a Twitter response; it is skipped", {
        newestId: key,
        error: (err as Error).message,
      });
      return false;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await this.untilPublishedOrStopped(this.deps.send(key, bytes), signal);
        metrics.messagesOut.inc();
        return true;
      } catch (err) {
        if (err instanceof AbortError) throw err;
        const waitMs = backoffMs(attempt, this.opts.backoff, clock.random());
        metrics.rejects.inc({ reason: "publish_failed" });
        metrics.reconnects.inc();
        (attempt === 0 ? log.warn : log.debug)("transport did not take the response; retrying", {
          newestId: key,
          error: (err as Error).message,
          retryInMs: waitMs,
        });
        await clock.sleep(waitMs, signal);
      }
    }
  }

  /**
   * Waits for the publish; after stop is requested, waits at most the grace
   * time, then gives up (since_id is not advanced, so nothing is skipped).
   */
  private untilPublishedOrStopped(p: Promise<void>, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const grace = new AbortController();
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        grace.abort(); // no grace timer left behind once the publish settled
        fn();
      };
      const onAbort = () => {
        this.deps.clock.sleep(this.opts.publishGraceMs, grace.signal).then(
          () => settle(() => reject(new AbortError())),
          () => undefined,
        );
      };
      p.then(
        () => settle(resolve),
        (err: unknown) => settle(() => reject(err)),
      );
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Remembers the new since_id in memory and on disk. */
  private async advance(newestId: string): Promise<void> {
    this.sinceId = newestId;
    try {
      await this.deps.store.save(newestId);
    } catch (err) {
      // The tweets are published: keep the new id in memory (no duplicates while
      // running); a restart before the next successful save repeats them.
      this.deps.metrics.rejects.inc({ reason: "state_save_failed" });
      this.deps.log.error("cannot save since_id state; a restart would re-publish recent tweets", {
        error: (err as Error).message,
      });
    }
  }
}
