/**
 * The one HTTP call this service makes: GET /2/tweets/search/recent, turned
 * into a typed result. Every status is handled by the caller (validateStatus
 * accepts all), so the only thing this throws is AbortError on stop.
 *
 * Secrets: the bearer token lives only in the axios instance's default
 * headers. Axios errors carry their config (and so the Authorization header),
 * which is why nothing here returns or logs an error object: results hold
 * only status, code and message.
 */
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { type RateLimitInfo, parseRateLimitHeaders } from "./rate-limit.js";
import { type SearchResponse, errorDetail, invalidParameters, whyUnusable } from "./search-response.js";

export const SEARCH_PATH = "/2/tweets/search/recent";
export const TWEET_FIELDS = "created_at,author_id,lang,public_metrics";

export interface SearchRequest {
  readonly sinceId?: string;
  readonly nextToken?: string;
}

export type SearchResult =
  | {
      readonly kind: "ok";
      readonly status: number;
      readonly body: SearchResponse;
      readonly rate: RateLimitInfo;
    }
  | {
      readonly kind: "rateLimited";
      readonly status: 429;
      readonly rate: RateLimitInfo;
    }
  | {
      readonly kind: "authError";
      readonly status: number;
      readonly rate: RateLimitInfo;
      readonly detail?: string;
    }
  | {
      readonly kind: "serverError";
      readonly status: number;
      readonly rate: RateLimitInfo;
      readonly detail?: string;
    }
  | {
      readonly kind: "clientError";
      readonly status: number;
      readonly rate: RateLimitInfo;
      /** Request parameters the API named as invalid (e.g. "since_id"). */
      readonly invalidParams: string[];
      readonly detail?: string;
    }
  /** A 200 whose body is not a usable search response (HTML from a proxy, truncated JSON...). */
  | {
      readonly kind: "malformed";
      readonly status: number;
      readonly rate: RateLimitInfo;
      readonly reason: string;
    }
  /** No HTTP response: timeout, refused connection, DNS, reset. */
  | {
      readonly kind: "networkError";
      readonly code: string;
      readonly message: string;
    };

export interface SearchClient {
  search(req: SearchRequest, signal: AbortSignal): Promise<SearchResult>;
}

export class AbortError extends Error {
  constructor() {
    super("aborted");
    this.name = "AbortError";
  }
}

export interface SearchClientOptions {
  readonly apiUrl: string;
  readonly bearerToken: string;
  readonly query: string;
  readonly maxResults: number;
  readonly timeoutMs: number;
}

/** The API's origin, also when TWITTER_API_URL was copied with /2 or the whole search path (pure). */
export function apiBase(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, "").replace(/\/2(\/tweets\/search\/recent)?$/, "");
}

export function createSearchClient(opts: SearchClientOptions): SearchClient {
  const http: AxiosInstance = axios.create({
    baseURL: apiBase(opts.apiUrl),
    timeout: opts.timeoutMs,
    headers: {
      Authorization: `Bearer ${opts.bearerToken}`,
      Accept: "application/json",
    },
    // Every status comes back as a response; the caller decides what it means.
    validateStatus: () => true,
    // Keep the body as text and parse it here, so a non-JSON body is visible as such.
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    // A redirect would carry the token elsewhere; the API does not redirect.
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });

  return {
    async search(req, signal) {
      const params = new URLSearchParams({
        query: opts.query,
        max_results: String(opts.maxResults),
        "tweet.fields": TWEET_FIELDS,
      });
      if (req.sinceId !== undefined) params.set("since_id", req.sinceId);
      if (req.nextToken !== undefined) params.set("next_token", req.nextToken);
      let res: AxiosResponse<string>;
      try {
        res = await http.get<string>(SEARCH_PATH, { params, signal });
      } catch (err) {
        if (signal.aborted || axios.isCancel(err)) throw new AbortError();
        // Only code and message: the error object itself holds the request headers.
        const code = axios.isAxiosError(err) ? (err.code ?? "UNKNOWN") : "UNKNOWN";
        const message = err instanceof Error ? err.message : String(err);
        return { kind: "networkError", code, message: message.slice(0, 300) };
      }
      return classify(res.status, headerGetter(res), typeof res.data === "string" ? res.data : "");
    },
  };
}

function headerGetter(res: AxiosResponse): (name: string) => string | undefined {
  const headers = res.headers as Record<string, unknown>;
  return (name) => {
    const v = headers[name.toLowerCase()];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? String(v[0]) : String(v);
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Maps a status and body to a result. Pure; exported for tests. */
export function classify(status: number, get: (name: string) => string | undefined, text: string): SearchResult {
  const rate = parseRateLimitHeaders(get);
  const body = parseJson(text);
  if (status === 200) {
    const why = body === undefined ? "body is not valid JSON" : whyUnusable(body);
    if (why !== undefined) return { kind: "malformed", status, rate, reason: why };
    return { kind: "ok", status, body: body as SearchResponse, rate };
  }
  if (status === 429) return { kind: "rateLimited", status, rate };
  const detail = errorDetail(body);
  if (status === 401 || status === 403) return { kind: "authError", status, rate, detail };
  if (status >= 500) return { kind: "serverError", status, rate, detail };
  return {
    kind: "clientError",
    status,
    rate,
    invalidParams: invalidParameters(body),
    detail,
  };
}
