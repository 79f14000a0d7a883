/**
 * What a restart over Kafka needs from the file, decided from its rows. Pure.
 *
 * - closedBefore: the end of the newest complete /sentiment row. Windows
 *   before it are written; Kafka replays their tweets and they are dropped.
 * - accounted: per window not yet complete, the ids already accounted for in
 *   the file, which a replay must not count again: late tweets
 *   (in_sentiment = 0), and the tweets counted in partial (complete = 0)
 *   rows written at a rebalance. A partial row of window W with count N
 *   counted exactly the first N /tweets rows of W with in_sentiment = 1, in
 *   file order: rows are appended before or with the window rows that count
 *   them, and a tweet counted later is stored later.
 * Every other stored tweet of an open window is counted again when replayed.
 */

export interface SentimentRowInfo {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
  readonly complete: boolean;
}

export interface TweetRowInfo {
  readonly id: string;
  readonly windowStart: number;
  readonly inSentiment: boolean;
}

export interface ResumeState {
  /** undefined when no window was written complete yet. */
  readonly closedBefore: number | undefined;
  readonly accounted: ReadonlyMap<number, ReadonlySet<string>>;
}

export function resumeState(sentiment: readonly SentimentRowInfo[], tweets: readonly TweetRowInfo[]): ResumeState {
  let closedBefore: number | undefined;
  for (const r of sentiment)
    if (r.complete && (closedBefore === undefined || r.windowEnd > closedBefore)) closedBefore = r.windowEnd;
  const open = (ws: number): boolean => closedBefore === undefined || ws >= closedBefore;
  const partial = new Map<number, number>();
  for (const r of sentiment)
    if (!r.complete && open(r.windowStart)) partial.set(r.windowStart, (partial.get(r.windowStart) ?? 0) + r.count);
  const accounted = new Map<number, Set<string>>();
  const add = (ws: number, id: string): void => {
    let s = accounted.get(ws);
    if (!s) accounted.set(ws, (s = new Set()));
    s.add(id);
  };
  const taken = new Map<number, number>();
  for (const t of tweets) {
    if (!open(t.windowStart)) continue;
    if (!t.inSentiment) {
      add(t.windowStart, t.id);
      continue;
    }
    const n = taken.get(t.windowStart) ?? 0;
    if (n < (partial.get(t.windowStart) ?? 0)) {
      add(t.windowStart, t.id);
      taken.set(t.windowStart, n + 1);
    }
  }
  return { closedBefore, accounted };
}
