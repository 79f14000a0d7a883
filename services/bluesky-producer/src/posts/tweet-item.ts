/**
 * A matching post as the twitter-processor reads a tweet, and the pickled
 * envelopes the producer publishes: posts in the twitter-producer's response
 * shape ({data, meta} plus source), deletes apart. Pure.
 */
import type { PostFrame } from "./frame.js";
import { postId, postUri } from "./post-id.js";

export interface TweetItem {
  readonly id: string;
  readonly text: string;
  readonly created_at: string;
  readonly author_id: string;
  readonly lang: string;
  readonly source: "bluesky";
  readonly uri: string;
}

export interface PostsEnvelope {
  readonly data: TweetItem[];
  readonly meta: { readonly result_count: number; readonly newest_id: string; readonly oldest_id: string };
  readonly source: "bluesky";
}

export interface DeleteItem {
  readonly id: string;
  readonly uri: string;
  readonly deleted_at: string;
}

/** No data and no meta: today's twitter-processor rejects it (counted as no_data) until it learns deletes. */
export interface DeletesEnvelope {
  readonly source: "bluesky";
  readonly deletes: DeleteItem[];
}

/** A post's createdAt is set by the client; one later than the server saw the post is clock skew. */
export const MAX_CREATED_AHEAD_MS = 5 * 60_000;

const isoOfUs = (timeUs: number): string => new Date(Math.floor(timeUs / 1000)).toISOString();

/** ISO 8601 UTC with ms: record.createdAt when it parses and is not ahead of time_us, else time_us. */
export function createdAtOf(p: Pick<PostFrame, "createdAt" | "timeUs">): string {
  const ms = p.createdAt === undefined ? NaN : Date.parse(p.createdAt);
  if (!Number.isFinite(ms) || ms > p.timeUs / 1000 + MAX_CREATED_AHEAD_MS) return isoOfUs(p.timeUs);
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) && d.getUTCFullYear() >= 1970 ? d.toISOString() : isoOfUs(p.timeUs);
}

export function toTweetItem(p: PostFrame): TweetItem {
  return {
    id: postId(p.did, p.rkey),
    text: p.text,
    created_at: createdAtOf(p),
    author_id: p.did,
    lang: p.langs[0] ?? "",
    source: "bluesky",
    uri: postUri(p.did, p.rkey),
  };
}

/** Items oldest first; newest_id and oldest_id name the last and first item (hash ids do not sort by time). */
export function postsEnvelope(items: readonly TweetItem[]): PostsEnvelope {
  if (items.length === 0) throw new Error("an envelope needs at least one post");
  return {
    data: [...items],
    meta: { result_count: items.length, newest_id: items[items.length - 1]!.id, oldest_id: items[0]!.id },
    source: "bluesky",
  };
}

export function deleteItem(did: string, rkey: string, timeUs: number): DeleteItem {
  return { id: postId(did, rkey), uri: postUri(did, rkey), deleted_at: isoOfUs(timeUs) };
}

export function deletesEnvelope(items: readonly DeleteItem[]): DeletesEnvelope {
  return { source: "bluesky", deletes: [...items] };
}
