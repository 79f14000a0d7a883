/**
 * The /subscribe URL of a Jetstream instance: posts only, uncompressed (zstd
 * with Jetstream's custom dictionary is not in Node 20), from a cursor when
 * there is one. Pure.
 */
import { POST_COLLECTION } from "../posts/frame.js";

export function subscribeUrl(base: string, cursorUs: number | undefined): string {
  const u = new URL(base);
  // A host, a base path, or the whole /subscribe URL as Bluesky's docs print it.
  const path = u.pathname.replace(/\/+$/, "");
  u.pathname = path.endsWith("/subscribe") ? path : `${path}/subscribe`;
  // Ours decide what is asked for; other parameters (e.g. wantedDids) are kept.
  for (const p of ["wantedCollections", "cursor", "compress"]) u.searchParams.delete(p);
  u.searchParams.set("wantedCollections", POST_COLLECTION);
  if (cursorUs !== undefined && cursorUs > 0) u.searchParams.set("cursor", String(Math.floor(cursorUs)));
  return u.toString();
}
