import { AggTradesClient, BackfillStop, type RestAggTrade } from "./agg-trades-client.js";

/**
 * Pages one symbol's missed aggregate trades: from `fromId` (last published
 * id + 1) until the first id the new connection delivered live, or until a
 * short page says the present is reached (the live stream covers the rest:
 * it was subscribed before the backfill started). Complete only when the ids
 * run without a hole from fromId on.
 */

export interface BackfillResult {
  readonly trades: RestAggTrade[];
  readonly complete: boolean;
  readonly reason?: BackfillStop["reason"] | "hole" | "too_many";
}

export const PAGE_LIMIT = 1000;

export async function backfillSymbol(
  client: Pick<AggTradesClient, "page">,
  req: {
    readonly symbol: string;
    readonly fromId: number;
    /** First live id seen on the new connection, once known (re-read after every page). */
    readonly firstLiveId: () => number | undefined;
    readonly maxTrades: number;
    readonly signal: AbortSignal;
  },
): Promise<BackfillResult> {
  const trades: RestAggTrade[] = [];
  let next = req.fromId;
  for (;;) {
    const stopAt = req.firstLiveId();
    if (stopAt !== undefined && next >= stopAt) return { trades, complete: true };
    if (req.signal.aborted) return { trades, complete: false, reason: "aborted" };
    let page: RestAggTrade[];
    try {
      page = await client.page(req.symbol, next, PAGE_LIMIT, req.signal);
    } catch (err) {
      if (err instanceof BackfillStop) return { trades, complete: false, reason: err.reason };
      throw err;
    }
    for (const t of page) {
      if (t.a < next) continue; // an id already had
      if (t.a !== next) return { trades, complete: false, reason: "hole" };
      trades.push(t);
      next = t.a + 1;
    }
    if (page.length < PAGE_LIMIT) return { trades, complete: true };
    if (trades.length >= req.maxTrades) return { trades, complete: false, reason: "too_many" };
  }
}
