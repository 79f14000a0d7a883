/**
 * What to push to a page when a series changed (pure): the points that are new or
 * different, when they all lie at or after the page's last point ("append": the page
 * updates in place), or the whole series otherwise ("reset").
 */

export type Delta<P> =
  | { readonly mode: "append"; readonly points: P[] }
  | { readonly mode: "reset"; readonly points: P[] };

export function seriesDelta<P extends { readonly time: number }>(
  prev: readonly P[] | undefined,
  next: readonly P[],
): Delta<P> {
  if (prev === undefined || prev.length === 0) return { mode: "reset", points: [...next] };
  // Everything went (the store's files vanished or cannot be read): the page clears its series.
  if (next.length === 0) return { mode: "reset", points: [] };
  const before = new Map(prev.map((p) => [p.time, JSON.stringify(p)]));
  const changed = next.filter((p) => before.get(p.time) !== JSON.stringify(p));
  const lastTime = prev[prev.length - 1]!.time;
  const nextTimes = new Set(next.map((p) => p.time));
  // A point that went away (a file started anew) or changed in the past needs a reset.
  const lost = prev.some((p) => p.time >= (next[0]?.time ?? Infinity) && !nextTimes.has(p.time));
  if (lost || changed.some((p) => p.time < lastTime)) return { mode: "reset", points: [...next] };
  return { mode: "append", points: changed };
}
