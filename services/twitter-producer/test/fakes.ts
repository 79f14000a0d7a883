/**
 * Fakes shared by the twitter-producer's specs (test-only code: kept out of src, so out of the image).
 */
import { Registry, createLogger, standardMetrics, type Logger, type StandardMetrics } from "@cryptostream/common";
import type { Clock } from "@cryptostream/twitter-producer/clock";
import { Poller, type PollerOptions } from "@cryptostream/twitter-producer/poller";
import type { RateLimitInfo } from "@cryptostream/twitter-producer/rate-limit";
import {
  AbortError,
  type SearchClient,
  type SearchRequest,
  type SearchResult,
} from "@cryptostream/twitter-producer/search-client";
import type { SearchResponse } from "@cryptostream/twitter-producer/search-response";

/** Virtual time: sleeping advances `now` at once and records the duration. */
export class FakeClock implements Clock {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  random(): number {
    return 0.5;
  }
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new AbortError();
    this.sleeps.push(ms);
    this.t += ms;
    // Yield to the event loop so a stop requested meanwhile is seen.
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw new AbortError();
  }
}

export function page(
  ids: string[],
  opts: { next?: string; rate?: RateLimitInfo; createdAt?: string } = {},
): SearchResult {
  const body: SearchResponse = {
    data: ids.map((id) => ({
      id,
      text: `tweet ${id}`,
      created_at: opts.createdAt ?? "2024-05-01T12:00:00.000Z",
    })),
    meta: {
      result_count: ids.length,
      ...(ids.length > 0 ? { newest_id: ids[0], oldest_id: ids[ids.length - 1] } : {}),
      ...(opts.next ? { next_token: opts.next } : {}),
    },
  };
  return { kind: "ok", status: 200, body, rate: opts.rate ?? {} };
}

export const empty = (): SearchResult => ({
  kind: "ok",
  status: 200,
  body: { meta: { result_count: 0 } },
  rate: {},
});

/** Answers from a script; when it runs out, signals `exhausted` and waits for stop. */
export class ScriptedClient implements SearchClient {
  readonly requests: SearchRequest[] = [];
  private resolveExhausted!: () => void;
  readonly exhausted = new Promise<void>((r) => (this.resolveExhausted = r));
  constructor(private readonly script: SearchResult[]) {}
  search(req: SearchRequest, signal: AbortSignal): Promise<SearchResult> {
    const next = this.script.shift();
    if (next) {
      this.requests.push({ ...req });
      return Promise.resolve(next);
    }
    this.resolveExhausted();
    return new Promise((_, reject) => {
      if (signal.aborted) reject(new AbortError());
      signal.addEventListener("abort", () => reject(new AbortError()), {
        once: true,
      });
    });
  }
}

export interface Harness {
  readonly poller: Poller;
  readonly clock: FakeClock;
  readonly client: ScriptedClient;
  readonly sent: { key: string; body: SearchResponse }[];
  /** Each save, with how many responses had been sent when it happened. */
  readonly saves: { sinceId: string; sentBefore: number }[];
  readonly lines: string[];
  readonly log: Logger;
  readonly metrics: StandardMetrics;
  /** Runs until the script is exhausted, then stops. */
  runToEnd(): Promise<void>;
}

export function harness(
  script: SearchResult[],
  opts: Partial<PollerOptions> & {
    send?: (key: string, value: Buffer) => Promise<void>;
    clock?: FakeClock;
    client?: SearchClient;
  } = {},
): Harness {
  const clock = opts.clock ?? new FakeClock();
  const client = new ScriptedClient(script);
  const sent: Harness["sent"] = [];
  const saves: Harness["saves"] = [];
  const lines: string[] = [];
  const log = createLogger({ service: "test" }, { level: "debug", sink: (l) => lines.push(l) });
  const metrics = standardMetrics(new Registry());
  const send =
    opts.send ??
    (async (key: string, value: Buffer) => {
      sent.push({
        key,
        body: JSON.parse(value.toString("utf8")) as SearchResponse,
      });
    });
  const poller = new Poller(
    {
      client: opts.client ?? client,
      encode: (body) => Buffer.from(JSON.stringify(body)),
      send,
      store: {
        save: async (sinceId) => {
          saves.push({ sinceId, sentBefore: sent.length });
        },
      },
      log,
      metrics,
      clock,
    },
    {
      pollMs: opts.pollMs ?? 10_000,
      backoff: opts.backoff ?? { baseMs: 1000, capMs: 60_000 },
      authRetryMs: opts.authRetryMs ?? 60_000,
      publishGraceMs: opts.publishGraceMs ?? 3000,
      initialSinceId: opts.initialSinceId,
      maxHeldPages: opts.maxHeldPages,
    },
  );
  return {
    poller,
    clock,
    client,
    sent,
    saves,
    lines,
    log,
    metrics,
    async runToEnd() {
      const done = poller.start();
      await Promise.race([client.exhausted, done]);
      await poller.stop();
    },
  };
}

export const parsed = (lines: string[]) =>
  lines.map((l) => JSON.parse(l) as { level: string; msg: string; [k: string]: unknown });
