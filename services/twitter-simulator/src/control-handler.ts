import type http from "node:http";
import { FAULT_STATUSES, type FaultSpec, type FaultStatus } from "./faults.js";
import { readJson, sendJson } from "./http-util.js";
import type { CustomTweet } from "./store.js";

/** What the control API needs from the simulator (the same calls as the programmatic API). */
export interface ControlTarget {
  stats(includeServed: boolean): unknown;
  served(): unknown[];
  tweets(): unknown[];
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  resetRateLimit(): void;
  generateTweets(count: number): unknown[];
  addTweet(t: CustomTweet): unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseFault(body: unknown): FaultSpec {
  if (!isRecord(body)) throw new Error("expected a JSON object");
  const status = body.status;
  const count = body.count ?? 1;
  if (typeof status !== "number" || !FAULT_STATUSES.includes(status as FaultStatus)) {
    throw new Error(`status must be one of ${FAULT_STATUSES.join(", ")}`);
  }
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1)
    throw new Error("count must be a positive integer");
  const reset = body.resetInSeconds;
  if (reset !== undefined && (typeof reset !== "number" || reset < 0)) throw new Error("resetInSeconds must be >= 0");
  return { status: status as FaultStatus, count, resetInSeconds: reset };
}

function parseCustom(body: unknown): CustomTweet {
  if (!isRecord(body) || typeof body.text !== "string" || body.text === "")
    throw new Error("text must be a non-empty string");
  const opt = (k: string): string | undefined => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  return {
    text: body.text,
    lang: opt("lang"),
    author_id: opt("author_id"),
    username: opt("username"),
    is_retweet: typeof body.is_retweet === "boolean" ? body.is_retweet : undefined,
  };
}

/**
 * The simulator-only endpoints under /_sim (no auth, never rate limited):
 *   GET    /_sim/stats[?served=false]  counters, rate-limit state, pending faults, served tweets
 *   GET    /_sim/served                every tweet served so far: id, text, timesServed...
 *   GET    /_sim/tweets                every tweet currently held, oldest first
 *   POST   /_sim/tweets                {"count":N} adds N seeded tweets now; {"text":...} adds one custom tweet
 *   POST   /_sim/faults                {"status":429|500|502|503|504,"count":N,"resetInSeconds"?:S}
 *   DELETE /_sim/faults                drops pending faults
 *   POST   /_sim/rate-limit/reset      refills the request budget
 */
export async function handleControl(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  sim: ControlTarget,
): Promise<number> {
  const route = `${req.method ?? "GET"} ${url.pathname.replace(/\/+$/u, "")}`;
  try {
    switch (route) {
      case "GET /_sim/stats":
        sendJson(res, 200, sim.stats(url.searchParams.get("served") !== "false"));
        return 200;
      case "GET /_sim/served":
        sendJson(res, 200, { served: sim.served() });
        return 200;
      case "GET /_sim/tweets":
        sendJson(res, 200, { tweets: sim.tweets() });
        return 200;
      case "POST /_sim/tweets": {
        const body = await readJson(req);
        if (isRecord(body) && typeof body.count === "number") {
          if (!Number.isInteger(body.count) || body.count < 1 || body.count > 100_000)
            throw new Error("count must be 1..100000");
          sendJson(res, 201, { tweets: sim.generateTweets(body.count) });
        } else {
          sendJson(res, 201, { tweet: sim.addTweet(parseCustom(body)) });
        }
        return 201;
      }
      case "POST /_sim/faults":
        sim.injectFaults(parseFault(await readJson(req)));
        sendJson(res, 200, { ok: true });
        return 200;
      case "DELETE /_sim/faults":
        sim.clearFaults();
        sendJson(res, 200, { ok: true });
        return 200;
      case "POST /_sim/rate-limit/reset":
        sim.resetRateLimit();
        sendJson(res, 200, { ok: true });
        return 200;
      default:
        sendJson(res, 404, { error: `no control route ${route}` });
        return 404;
    }
  } catch (err) {
    sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
    return 400;
  }
}
