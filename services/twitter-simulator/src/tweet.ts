import type { Author } from "./corpus/authors.js";
import type { PublicMetrics } from "./corpus/compose.js";
import type { Sentiment } from "./corpus/template.js";
import type { Matchable } from "./query/match.js";

/** A tweet held by the simulator: everything the API can render about it. */
export interface SimTweet extends Matchable {
  readonly id: string;
  readonly idNum: bigint;
  readonly createdAtMs: number;
  /** ISO-8601 with milliseconds and Z, as the API formats created_at. */
  readonly createdAt: string;
  readonly author: Author;
  readonly inReplyToUserId?: string;
  readonly referencedTweets?: readonly { type: "retweeted" | "replied_to"; id: string }[];
  readonly publicMetrics: PublicMetrics;
  readonly possiblySensitive: boolean;
  /** The sentiment the template was written with (ground truth for tests; never served). */
  readonly sentiment: Sentiment;
  /** Position in the seeded stream, or null for a tweet added through the control API. */
  readonly streamIndex: number | null;
}
