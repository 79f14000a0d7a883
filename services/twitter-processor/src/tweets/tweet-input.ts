/**
 * What the processor takes from one decoded search response: its tweets,
 * validated one by one and ordered oldest first. Pure; no IO.
 */

/** Where a post came from: responses without a `source` field are the twitter-producer's. */
export type Source = "twitter" | "bluesky";
export const SOURCES: readonly Source[] = ["twitter", "bluesky"];

export interface InputTweet {
  readonly id: string;
  readonly source: Source;
  /** Bluesky's at:// uri of the post; "" for a tweet. */
  readonly uri: string;
  readonly text: string;
  /** ms since the epoch (UTC). */
  readonly createdAt: number;
  readonly authorId: string;
  readonly lang: string;
}

export interface BadTweet {
  readonly reason: "bad_tweet";
  readonly detail: string;
}

export type ResponseTweets =
  | { readonly kind: "tweets"; readonly tweets: InputTweet[]; readonly bad: BadTweet[] }
  /** meta.result_count 0 and no data: a normal "nothing new". */
  | { readonly kind: "empty" }
  | { readonly kind: "no_data"; readonly detail: string }
  | { readonly kind: "bad_source"; readonly detail: string };

// Tweet ids are snowflakes: decimal, at most 19 digits (below 2^63).
const TWEET_ID = /^\d{1,19}$/;
// Twitter's created_at is ISO 8601 in UTC ("2024-05-01T12:34:56.000Z"); insist on a date-time with a zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export function parseCreatedAt(value: unknown): number | undefined {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The response's `source` (absent: twitter), or undefined when it names none we know. */
export function sourceOf(response: Record<string, unknown>): Source | undefined {
  const s = response.source;
  if (s === undefined) return "twitter";
  return SOURCES.find((k) => k === s);
}

function parseTweet(t: unknown, index: number, source: Source): InputTweet | BadTweet {
  if (!isObject(t)) return { reason: "bad_tweet", detail: `data[${index}] is not an object` };
  const { id, text } = t;
  if (typeof id !== "string" || !TWEET_ID.test(id))
    return { reason: "bad_tweet", detail: `data[${index}] has no string tweet id` };
  if (typeof text !== "string") return { reason: "bad_tweet", detail: `tweet ${id} has no string text` };
  const createdAt = parseCreatedAt(t.created_at);
  if (createdAt === undefined)
    return { reason: "bad_tweet", detail: `tweet ${id} has a missing or unparseable created_at` };
  return {
    id,
    source,
    uri: typeof t.uri === "string" ? t.uri : "",
    text,
    createdAt,
    authorId: typeof t.author_id === "string" ? t.author_id : "",
    lang: typeof t.lang === "string" ? t.lang : "",
  };
}

/** Compares decimal id strings numerically (no leading zeros in snowflakes). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Responses list tweets newest first; windows need event time in order, so
 * the result is sorted by created_at, then id (ids grow with time).
 */
export function tweetsOfResponse(response: unknown): ResponseTweets {
  if (!isObject(response)) return { kind: "no_data", detail: "response is not a dict" };
  const source = sourceOf(response);
  if (source === undefined)
    return {
      kind: "bad_source",
      detail: `response source ${JSON.stringify(response.source)} is not one of ${SOURCES}`,
    };
  const data = response.data;
  if (data === undefined) {
    const meta = response.meta;
    if (isObject(meta) && meta.result_count === 0) return { kind: "empty" };
    return { kind: "no_data", detail: "response has no data array and meta.result_count is not 0" };
  }
  if (!Array.isArray(data)) return { kind: "no_data", detail: "response data is not a list" };
  const tweets: InputTweet[] = [];
  const bad: BadTweet[] = [];
  data.forEach((t, i) => {
    const p = parseTweet(t, i, source);
    if ("reason" in p) bad.push(p);
    else tweets.push(p);
  });
  tweets.sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
  return { kind: "tweets", tweets, bad };
}
