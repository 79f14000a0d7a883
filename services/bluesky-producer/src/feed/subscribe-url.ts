/**
 * The /subscribe URL of a Jetstream instance: posts only, uncompressed (zstd
 * with Jetstream's custom dictionary is not in Node 20), from a cursor when
 * there is one. Pure.
 */
import { POST_COLLECTION } from "../posts/frame.js";

export function subscribeUrl(base: string, cursorUs: number | undefined): string {
  const u = new URL(base.replace(/\/+$/, "") + "/subscribe");
  u.searchParams.set("wantedCollections", POST_COLLECTION);
  if (cursorUs !== undefined && cursorUs > 0) u.searchParams.set("cursor", String(Math.floor(cursorUs)));
  return u.toString();
}
