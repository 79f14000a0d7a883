/**
 * The REST side of the simulator: GET /api/v3/aggTrades as Binance answers
 * it (symbol, fromId, startTime/endTime, limit default 500 max 1000), with
 * request weight accounting per wall-clock minute in X-MBX-USED-WEIGHT-1M,
 * 429 + Retry-After past the weight limit, and injected 429s every N
 * requests (and 418 bans) so clients' rate-limit handling is tested offline.
 */

import type http from "node:http";
import type { TradeHistory } from "./trade-history.js";

export interface RestOptions {
  readonly history: TradeHistory;
  /** Upper-case symbols the market lists. */
  readonly symbols: ReadonlySet<string>;
  /** REQUEST_WEIGHT per minute; Binance spot: 6000. */
  readonly weightLimit: number;
  /** Answer every Nth request with 429 (0: never). */
  readonly inject429Every: number;
  /** Answer every Nth request with 418 (IP banned; 0: never). */
  readonly inject418Every: number;
  /** Retry-After (seconds) sent with 429s and 418s. */
  readonly retryAfterS: number;
  readonly now: () => number;
}

/** Binance's documented weight of GET /api/v3/aggTrades. */
export const AGG_TRADES_WEIGHT = 4;

export interface RestStats {
  requests: number;
  rateLimited: number;
}

export function createRestApi(o: RestOptions) {
  const stats: RestStats = { requests: 0, rateLimited: 0 };
  let minute = -1;
  let used = 0;

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json;charset=UTF-8",
      "content-length": Buffer.byteLength(text),
      "x-mbx-used-weight": String(used),
      "x-mbx-used-weight-1m": String(used),
      ...headers,
    });
    res.end(text);
  };

  const intParam = (u: URL, name: string): number | undefined | "bad" => {
    const raw = u.searchParams.get(name);
    if (raw === null || raw === "") return undefined;
    return /^\d+$/.test(raw) ? Number(raw) : "bad";
  };

  /** True when the request was a REST call (answered); false: not ours. */
  function handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const u = new URL(req.url ?? "/", "http://simulator");
    if (u.pathname !== "/api/v3/aggTrades") return false;
    stats.requests++;
    const now = o.now();
    const m = Math.floor(now / 60_000);
    if (m !== minute) {
      minute = m;
      used = 0;
    }
    if (req.method !== "GET") {
      send(res, 405, { code: -1000, msg: "method not allowed" });
      return true;
    }
    const retryAfterToMinute = String(Math.ceil(((m + 1) * 60_000 - now) / 1000));
    if (used + AGG_TRADES_WEIGHT > o.weightLimit) {
      stats.rateLimited++;
      send(
        res,
        429,
        { code: -1003, msg: "Too much request weight used; current limit exceeded." },
        { "retry-after": retryAfterToMinute },
      );
      return true;
    }
    used += AGG_TRADES_WEIGHT;
    if (o.inject418Every > 0 && stats.requests % o.inject418Every === 0) {
      stats.rateLimited++;
      send(
        res,
        418,
        { code: -1003, msg: "Way too many requests; IP banned (injected)." },
        { "retry-after": String(o.retryAfterS) },
      );
      return true;
    }
    if (o.inject429Every > 0 && stats.requests % o.inject429Every === 0) {
      stats.rateLimited++;
      send(res, 429, { code: -1003, msg: "Too many requests (injected)." }, { "retry-after": String(o.retryAfterS) });
      return true;
    }
    const symbol = (u.searchParams.get("symbol") ?? "").toUpperCase();
    if (!symbol) {
      send(res, 400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
      return true;
    }
    if (!o.symbols.has(symbol)) {
      send(res, 400, { code: -1121, msg: "Invalid symbol." });
      return true;
    }
    const fromId = intParam(u, "fromId");
    const startTime = intParam(u, "startTime");
    const endTime = intParam(u, "endTime");
    const limit = intParam(u, "limit");
    if ([fromId, startTime, endTime, limit].includes("bad") || limit === 0) {
      send(res, 400, { code: -1100, msg: "Illegal characters found in a parameter." });
      return true;
    }
    const n = Math.min(1000, (limit as number | undefined) ?? 500);
    const trades = o.history.query(symbol, {
      fromId: fromId as number | undefined,
      startTime: startTime as number | undefined,
      endTime: endTime as number | undefined,
      limit: n,
    });
    send(
      res,
      200,
      trades.map(({ a, p, q, f, l, T, m: mk, M }) => ({ a, p, q, f, l, T, m: mk, M })),
    );
    return true;
  }

  return { handle, stats };
}
