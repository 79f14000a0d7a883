/**
 * What one Jetstream text frame means to this producer. Pure; no IO.
 * Frames: {did, time_us, kind: "commit"|"identity"|"account", commit?: {rev,
 * operation: "create"|"update"|"delete", collection, rkey, record?, cid?}}.
 */

export const POST_COLLECTION = "app.bsky.feed.post";

export interface PostFrame {
  readonly kind: "post";
  readonly did: string;
  readonly rkey: string;
  readonly timeUs: number;
  readonly text: string;
  /** record.createdAt as sent (unchecked), or undefined. */
  readonly createdAt: string | undefined;
  readonly langs: readonly string[];
}

export type Frame =
  | PostFrame
  | { readonly kind: "post_delete"; readonly did: string; readonly rkey: string; readonly timeUs: number }
  /** Post updates, other collections, identity and account events: they only move time forward. */
  | { readonly kind: "other"; readonly what: string; readonly timeUs: number }
  | { readonly kind: "malformed"; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function classifyFrame(text: string): Frame {
  let f: unknown;
  try {
    f = JSON.parse(text);
  } catch {
    return { kind: "malformed", reason: "not JSON" };
  }
  if (!isObject(f)) return { kind: "malformed", reason: "not an object" };
  const { did, time_us: timeUs, kind } = f;
  if (typeof timeUs !== "number" || !Number.isSafeInteger(timeUs) || timeUs <= 0)
    return { kind: "malformed", reason: "no time_us" };
  // identity, account, and kinds this producer does not know (a server's notices): time only.
  if (kind !== "commit") return { kind: "other", what: typeof kind === "string" ? kind : "unknown", timeUs };
  if (typeof did !== "string" || !did.startsWith("did:")) return { kind: "malformed", reason: "no did" };
  const c = f.commit;
  if (!isObject(c)) return { kind: "malformed", reason: "commit without a commit object" };
  const { collection, operation, rkey } = c;
  if (typeof collection !== "string" || typeof rkey !== "string" || rkey === "")
    return { kind: "malformed", reason: "commit without collection or rkey" };
  if (collection !== POST_COLLECTION) return { kind: "other", what: `commit:${collection}`, timeUs };
  if (operation === "delete") return { kind: "post_delete", did, rkey, timeUs };
  // Bluesky has no post edits; an update does not change what was published.
  if (operation === "update") return { kind: "other", what: "post_update", timeUs };
  if (operation !== "create") return { kind: "malformed", reason: `unknown operation ${String(operation)}` };
  const r = c.record;
  if (!isObject(r) || typeof r.text !== "string") return { kind: "malformed", reason: "post create without text" };
  const langs = Array.isArray(r.langs) ? r.langs.filter((l): l is string => typeof l === "string") : [];
  return {
    kind: "post",
    did,
    rkey,
    timeUs,
    text: r.text,
    createdAt: typeof r.createdAt === "string" ? r.createdAt : undefined,
    langs,
  };
}
