/**
 * Results computed ahead of the tweet model, on the scoring thread: what decodeResponse and
 * scoreTweet return for a message's bytes and a tweet's text. Both are pure functions, so a
 * result found here is exactly the one the model would compute; a miss is computed in place.
 */
import type { Scored } from "../tweets/tweet-row.js";
import type { DecodedResponse } from "../response/decode-response.js";

export interface ScoreRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export interface ScoreReply {
  readonly id: number;
  readonly cleaned: readonly string[];
  readonly tokens: Int32Array;
  /** compound, pos, neu, neg per text. */
  readonly scores: Float64Array;
}

/** Decoded messages, by their bytes (the Delivery's value), until the model takes them. */
export const decodedAhead = new WeakMap<Uint8Array, DecodedResponse>();

/** Scores by text, for the batches between the scoring thread and the model. */
export const scoredAhead = new Map<string, Scored>();
