/**
 * The id a Bluesky post gets in the tweet items. A post is named by its
 * author's DID and its record key (at://<did>/app.bsky.feed.post/<rkey>, up
 * to about 60 bytes for did:plc, more for did:web); the twitter-processor
 * accepts only snowflake-like ids (1-19 decimal digits, below 2^63) and
 * stores 24 bytes. So the id is the first 8 bytes of SHA-256 of
 * "<did>/<rkey>", big-endian, with the top bit cleared, in decimal: stable
 * across restarts and hosts, derivable from a delete (which has the same did
 * and rkey), and colliding by chance only (about 1 in 2^63 per pair; around
 * 10^-10 among the 500,000 ids the processor remembers). The full at-uri
 * travels alongside in the item's `uri` field. Pure.
 */
import { createHash } from "node:crypto";
import { POST_COLLECTION } from "./frame.js";

export function postKey(did: string, rkey: string): string {
  return `${did}/${rkey}`;
}

export function postUri(did: string, rkey: string): string {
  return `at://${did}/${POST_COLLECTION}/${rkey}`;
}

export function postId(did: string, rkey: string): string {
  const h = createHash("sha256").update(postKey(did, rkey), "utf8").digest();
  const id = h.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn;
  // 0 would be a valid 1-digit id, but keep ids positive like snowflakes.
  return (id === 0n ? 1n : id).toString(10);
}
