/**
 * The shape of a Twitter API v2 recent-search response, as far as this service
 * relies on it, and pure helpers over it. The body is published exactly as
 * received, so nothing here changes or drops fields.
 */

export interface Tweet {
  readonly id: string;
  readonly text: string;
  readonly created_at?: string;
  readonly author_id?: string;
  readonly lang?: string;
  readonly public_metrics?: Record<string, number>;
  readonly [field: string]: unknown;
}

export interface SearchMeta {
  readonly result_count: number;
  readonly newest_id?: string;
  readonly oldest_id?: string;
  readonly next_token?: string;
  readonly [field: string]: unknown;
}

export interface SearchResponse {
  readonly data?: Tweet[];
  readonly meta: SearchMeta;
  readonly [field: string]: unknown;
}

const TWEET_ID = /^\d{1,19}$/;

export function isTweetId(value: unknown): value is string {
  return typeof value === "string" && TWEET_ID.test(value);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks what the poller depends on: a meta object with a result count, a
 * newest_id when there are results, and a string next_token if any. Returns
 * the reason it is unusable, or undefined when it is fine.
 */
export function whyUnusable(body: unknown): string | undefined {
  if (!isObject(body)) return "body is not a JSON object";
  const meta = body.meta;
  if (!isObject(meta)) return "meta is missing";
  if (typeof meta.result_count !== "number" || !Number.isInteger(meta.result_count) || meta.result_count < 0) {
    return "meta.result_count is not a non-negative integer";
  }
  if (meta.result_count > 0 && !isTweetId(meta.newest_id)) return "meta.newest_id is missing or not a tweet id";
  if (meta.next_token !== undefined && (typeof meta.next_token !== "string" || meta.next_token === "")) {
    return "meta.next_token is not a non-empty string";
  }
  if (body.data !== undefined && !Array.isArray(body.data)) return "data is not an array";
  return undefined;
}

/** Number of tweets in the response (the data array; result_count as a fallback). */
export function tweetCount(body: SearchResponse): number {
  return Array.isArray(body.data) ? body.data.length : body.meta.result_count;
}

/** Newest created_at among the tweets, epoch ms; undefined when none has a valid one. */
export function newestCreatedAtMs(body: SearchResponse): number | undefined {
  let newest: number | undefined;
  for (const t of body.data ?? []) {
    const ms = typeof t?.created_at === "string" ? Date.parse(t.created_at) : NaN;
    if (Number.isFinite(ms) && (newest === undefined || ms > newest)) newest = ms;
  }
  return newest;
}

/**
 * Which request parameters a 400 response names as invalid (Twitter lists
 * them under errors[].parameters), e.g. ["since_id"] once the stored id has
 * fallen out of the 7-day search window.
 */
export function invalidParameters(body: unknown): string[] {
  if (!isObject(body) || !Array.isArray(body.errors)) return [];
  const names = new Set<string>();
  for (const e of body.errors) {
    if (isObject(e) && isObject(e.parameters)) for (const k of Object.keys(e.parameters)) names.add(k);
  }
  return [...names];
}

/** A short human description from an error body (title/detail), for logs. Never contains request data. */
export function errorDetail(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const parts: string[] = [];
  if (typeof body.title === "string") parts.push(body.title);
  if (typeof body.detail === "string") parts.push(body.detail);
  if (parts.length === 0 && Array.isArray(body.errors)) {
    const first: unknown = body.errors[0];
    if (isObject(first) && typeof first.message === "string") parts.push(first.message);
  }
  const text = parts.join(": ");
  return text === "" ? undefined : text.slice(0, 300);
}
