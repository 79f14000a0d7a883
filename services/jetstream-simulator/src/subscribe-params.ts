/**
 * The query of GET /subscribe, as Jetstream reads it: wantedCollections
 * (repeatable, at most 100, NSIDs or prefixes ending in ".*"), wantedDids
 * (repeatable, at most 10,000), cursor (microseconds; absent or 0 = live),
 * compress (zstd, which this simulator refuses so a client that asks for it
 * notices). Pure.
 */
import type { JetstreamFrame } from "./frames.js";

export interface SubscribeParams {
  /** Empty = every collection. */
  readonly collections: readonly string[];
  /** Empty = every repo. */
  readonly dids: ReadonlySet<string>;
  readonly cursorUs: number | undefined;
}

const NSID = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+$/;
const NSID_PREFIX = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)*\.\*$/;

export function parseSubscribeParams(q: URLSearchParams): SubscribeParams | { error: string } {
  const collections = q
    .getAll("wantedCollections")
    .flatMap((v) => v.split(","))
    .filter((v) => v !== "");
  if (collections.length > 100) return { error: "too many wantedCollections (at most 100)" };
  for (const c of collections)
    if (!NSID.test(c) && !NSID_PREFIX.test(c)) return { error: `invalid collection in wantedCollections: ${c}` };
  const dids = q
    .getAll("wantedDids")
    .flatMap((v) => v.split(","))
    .filter((v) => v !== "");
  if (dids.length > 10_000) return { error: "too many wantedDids (at most 10000)" };
  for (const d of dids) if (!d.startsWith("did:")) return { error: `invalid did in wantedDids: ${d}` };
  const compress = q.get("compress");
  if (compress === "true") return { error: "this simulator does not serve zstd (compress=true)" };
  const raw = q.get("cursor");
  let cursorUs: number | undefined;
  if (raw !== null && raw !== "") {
    if (!/^\d{1,17}$/.test(raw)) return { error: `invalid cursor: ${raw}` };
    cursorUs = Number(raw) || undefined;
  }
  return { collections, dids: new Set(dids), cursorUs };
}

/** Commits pass by collection and repo; identity and account events pass by repo only. */
export function wants(p: SubscribeParams, f: JetstreamFrame): boolean {
  if (p.dids.size > 0 && !p.dids.has(f.did)) return false;
  if (f.kind !== "commit" || p.collections.length === 0) return true;
  const c = f.commit.collection;
  return p.collections.some((w) => (w.endsWith(".*") ? c.startsWith(w.slice(0, -1)) : c === w));
}
