/** Rows of /tweets as the page's table shows them, newest first (pure). */
import type { TableRow } from "@cryptostream/common/hdf5/table-rows";

export interface PostView {
  readonly id: string;
  /** created_at, ms. */
  readonly createdAt: number;
  readonly lang: string;
  readonly text: string;
  readonly label: string;
  readonly score: number;
  /** Where it came from, when the table has a `source` column. */
  readonly source?: string;
  /** Counted in /sentiment (0 = arrived after its window closed). */
  readonly counted: boolean;
  /** Deleted upstream (deleted_at set): its text is gone from the file. */
  readonly deleted?: true;
}

export function postViews(rows: readonly TableRow[]): PostView[] {
  return rows
    .map((r) => ({
      id: String(r.id),
      createdAt: Number(r.created_at),
      lang: String(r.lang ?? ""),
      text: String(r.text ?? ""),
      label: String(r.sentiment_label ?? ""),
      score: Number(r.sentiment_score),
      ...(typeof r.source === "string" ? { source: r.source } : {}),
      counted: Number(r.in_sentiment ?? 1) === 1,
      ...(Number(r.deleted_at ?? -1) >= 0 ? { deleted: true as const } : {}),
    }))
    .reverse();
}

/**
 * Posts deleted upstream after the page got them (new /deletes rows): their text goes, as it
 * went from the file. Returns the posts and the ids that changed.
 */
export function markDeleted(
  posts: readonly PostView[],
  deletedIds: ReadonlySet<string>,
): { posts: PostView[]; changed: string[] } {
  const changed: string[] = [];
  const next = posts.map((p) => {
    if (p.deleted || !deletedIds.has(p.id)) return p;
    changed.push(p.id);
    return { ...p, text: "", deleted: true as const };
  });
  return { posts: next, changed };
}

/**
 * What to push when the newest posts changed (pure): the posts new at the top ("prepend"),
 * and the ids of posts the page shows that have since been deleted; or the whole list
 * ("reset") when it changed otherwise (a store started anew, older posts gone). `cap` is
 * how many posts the list holds at most.
 */
export function postsChange(
  prev: readonly PostView[],
  next: readonly PostView[],
  cap: number,
): { mode: "reset" } | { mode: "prepend"; posts: PostView[]; deleted: string[] } {
  if (prev.length === 0) return next.length === 0 ? { mode: "prepend", posts: [], deleted: [] } : { mode: "reset" };
  const k = next.findIndex((p) => p.id === prev[0]!.id);
  if (k < 0) return { mode: "reset" };
  const overlap = Math.min(prev.length, next.length - k);
  // Fewer posts below the new ones than before, while the list is not full: some went away.
  if (overlap < prev.length && next.length < cap) return { mode: "reset" };
  const deleted: string[] = [];
  for (let i = 0; i < overlap; i++) {
    const a = prev[i]!;
    const b = next[k + i]!;
    if (a.id !== b.id) return { mode: "reset" };
    if (b.deleted && !a.deleted) deleted.push(b.id);
  }
  return { mode: "prepend", posts: next.slice(0, k), deleted };
}
