import { compileQuery } from "../query/match.js";
import type { SimTweet } from "../tweet.js";
import { RECENT_WINDOW_MS, type SearchRequest } from "./params.js";

export interface SearchResult {
  /** Newest first, at most maxResults. */
  readonly page: readonly SimTweet[];
  /** Exclusive id bound for the next page, when more tweets match. */
  readonly nextBefore?: bigint;
}

/**
 * Runs a validated search over `tweets` (oldest first, ids increasing).
 * Recent search sees only the last 7 days and never a tweet from the future.
 */
export function executeSearch(tweets: readonly SimTweet[], req: SearchRequest, nowMs: number): SearchResult {
  const oldestMs = nowMs - RECENT_WINDOW_MS;
  const matches = compileQuery(req.query);
  const page: SimTweet[] = [];
  let more = false;
  for (let i = tweets.length - 1; i >= 0; i--) {
    const t = tweets[i] as SimTweet;
    if (req.sinceId !== undefined && t.idNum <= req.sinceId) break; // ids only get smaller from here
    if (t.createdAtMs < oldestMs) break;
    if (req.startMs !== undefined && t.createdAtMs < req.startMs) break;
    if (t.createdAtMs > nowMs) continue;
    if (req.untilId !== undefined && t.idNum >= req.untilId) continue;
    if (req.pageBefore !== undefined && t.idNum >= req.pageBefore) continue;
    if (req.endMs !== undefined && t.createdAtMs >= req.endMs) continue;
    if (!matches(t)) continue;
    if (page.length === req.maxResults) {
      more = true;
      break;
    }
    page.push(t);
  }
  const oldest = page[page.length - 1];
  return more && oldest ? { page, nextBefore: oldest.idNum } : { page };
}
