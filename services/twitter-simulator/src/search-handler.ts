import type http from "node:http";
import { problem } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { sendJson } from "./http-util.js";
import type { FixedWindowRateLimiter, RateLimitState } from "./rate-limit.js";
import { executeSearch } from "./search/execute.js";
import { encodePageToken } from "./search/pagination-token.js";
import { parseSearchParams } from "./search/params.js";
import { renderSearchBody } from "./search/render.js";
import type { ServedLog } from "./served-log.js";
import type { TweetStore } from "./store.js";

export interface SearchDeps {
  readonly bearerToken: string;
  readonly store: TweetStore;
  readonly limiter: FixedWindowRateLimiter;
  readonly faults: FaultInjector;
  readonly served: ServedLog;
  readonly now: () => number;
}

function rateHeaders(s: RateLimitState): Record<string, string> {
  return {
    "x-rate-limit-limit": String(s.limit),
    "x-rate-limit-remaining": String(s.remaining),
    "x-rate-limit-reset": String(s.reset),
  };
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/iu.exec(req.headers.authorization ?? "");
  return m !== null && (m[1] as string).trim() === token;
}

/**
 * GET /2/tweets/search/recent. Order of checks: auth (401), injected faults,
 * rate budget (429), parameters (400), then the search. Only requests that
 * pass auth and are not failed on purpose count against the budget.
 * Returns the status sent and how many tweets were served.
 */
export function handleSearch(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  deps: SearchDeps,
): { status: number; tweets: number } {
  if (!authorized(req, deps.bearerToken)) {
    sendJson(res, 401, problem(401), rateHeaders(deps.limiter.state()));
    return { status: 401, tweets: 0 };
  }
  const fault = deps.faults.next();
  if (fault) {
    const state = deps.limiter.state();
    const headers =
      fault.status === 429
        ? rateHeaders({ ...state, remaining: 0, reset: Math.ceil(deps.now() / 1000) + (fault.resetInSeconds ?? 1) })
        : rateHeaders(state);
    sendJson(res, fault.status, problem(fault.status), headers);
    return { status: fault.status, tweets: 0 };
  }
  if (!deps.limiter.tryConsume()) {
    sendJson(res, 429, problem(429), rateHeaders(deps.limiter.state()));
    return { status: 429, tweets: 0 };
  }
  const headers = rateHeaders(deps.limiter.state());
  const now = deps.now();
  const parsed = parseSearchParams(url.searchParams, now);
  if (!parsed.ok) {
    sendJson(res, 400, parsed.body, headers);
    return { status: 400, tweets: 0 };
  }
  deps.store.sync();
  const result = executeSearch(deps.store.all(), parsed.request, now);
  const token = result.nextBefore !== undefined ? encodePageToken(result.nextBefore) : undefined;
  const body = renderSearchBody(result.page, parsed.request, token);
  deps.served.record(result.page);
  sendJson(res, 200, body, headers);
  return { status: 200, tweets: result.page.length };
}
