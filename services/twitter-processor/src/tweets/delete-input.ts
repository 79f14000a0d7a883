/**
 * What the processor takes from a delete envelope (`{source, deletes: [{id,
 * uri, deleted_at}]}`, published by the bluesky-producer when a stored post
 * is deleted upstream), validated item by item. Pure; no IO.
 */
import { parseCreatedAt, type Source, sourceOf } from "./tweet-input.js";

export interface InputDelete {
  readonly id: string;
  readonly source: Source;
  readonly uri: string;
  /** ms since the epoch (UTC): when the upstream deleted the post. */
  readonly deletedAt: number;
}

export interface BadDelete {
  readonly reason: "bad_delete";
  readonly detail: string;
}

export type EnvelopeDeletes =
  /** Not a delete envelope (no `deletes` field): read it as a response of posts. */
  | { readonly kind: "none" }
  | { readonly kind: "deletes"; readonly deletes: InputDelete[]; readonly bad: BadDelete[] }
  | { readonly kind: "bad_delete" | "bad_source"; readonly detail: string };

// Same ids as posts: decimal, at most 19 digits.
const POST_ID = /^\d{1,19}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export function deletesOfEnvelope(envelope: unknown): EnvelopeDeletes {
  if (!isObject(envelope) || !("deletes" in envelope)) return { kind: "none" };
  const source = sourceOf(envelope);
  if (source === undefined)
    return { kind: "bad_source", detail: `delete envelope source ${JSON.stringify(envelope.source)} is unknown` };
  if (!Array.isArray(envelope.deletes)) return { kind: "bad_delete", detail: "deletes is not a list" };
  const deletes: InputDelete[] = [];
  const bad: BadDelete[] = [];
  envelope.deletes.forEach((d: unknown, i) => {
    if (!isObject(d) || typeof d.id !== "string" || !POST_ID.test(d.id))
      return bad.push({ reason: "bad_delete", detail: `deletes[${i}] has no post id` });
    const deletedAt = parseCreatedAt(d.deleted_at);
    if (deletedAt === undefined)
      return bad.push({ reason: "bad_delete", detail: `delete of ${d.id} has a missing or unparseable deleted_at` });
    deletes.push({ id: d.id, source, uri: typeof d.uri === "string" ? d.uri : "", deletedAt });
  });
  return { kind: "deletes", deletes, bad };
}
