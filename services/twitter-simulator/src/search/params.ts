import { invalidRequest, paramError, type InvalidRequestBody, type ParameterError } from "../errors.js";
import type { QueryNode } from "../query/ast.js";
import { QuerySyntaxError } from "../query/ast.js";
import { MAX_QUERY_LENGTH, parseQuery } from "../query/parse.js";
import { parseId, snowflakeTime } from "../snowflake.js";
import { EXPANSIONS, SEARCH_PARAMETERS, TWEET_FIELDS, USER_FIELDS } from "./fields.js";
import { decodePageToken } from "./pagination-token.js";

/** A validated recent-search request. */
export interface SearchRequest {
  readonly queryText: string;
  readonly query: QueryNode;
  readonly maxResults: number;
  readonly sinceId?: bigint;
  readonly untilId?: bigint;
  /** Inclusive lower bound on created_at (ignored when since_id is given, as documented by Twitter). */
  readonly startMs?: number;
  /** Exclusive upper bound on created_at (ignored when until_id is given). */
  readonly endMs?: number;
  /** Exclusive upper id bound from next_token. */
  readonly pageBefore?: bigint;
  readonly tweetFields: ReadonlySet<string>;
  readonly expansions: ReadonlySet<string>;
  readonly userFields: ReadonlySet<string>;
}

export const RECENT_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** The API refuses end_time values closer than this to the request time. */
export const END_TIME_MIN_LAG_MS = 10_000;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/u;

/** "2024-05-01T12:00Z": the way the API prints time bounds in its messages. */
function minuteStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

function listParam(
  name: string,
  raw: string | null,
  allowed: readonly string[],
  errors: ParameterError[],
): Set<string> {
  const out = new Set<string>();
  if (raw === null || raw === "") return out;
  for (const item of raw.split(",")) {
    if (!allowed.includes(item)) {
      errors.push(
        paramError(name, [raw], `The \`${name}\` query parameter value [${item}] is not one of [${allowed.join(",")}]`),
      );
    } else {
      out.add(item);
    }
  }
  return out;
}

function idParam(name: string, raw: string | null, errors: ParameterError[]): bigint | undefined {
  if (raw === null) return undefined;
  const id = parseId(raw);
  if (id === undefined)
    errors.push(paramError(name, [raw], `The \`${name}\` query parameter value [${raw}] is not valid`));
  return id;
}

function timeParam(name: string, raw: string | null, errors: ParameterError[]): number | undefined {
  if (raw === null) return undefined;
  const ms = RFC3339.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) {
    errors.push(
      paramError(name, [raw], `The \`${name}\` query parameter value [${raw}] is not a valid RFC3339 date-time`),
    );
    return undefined;
  }
  return ms;
}

/**
 * Validates the query string of GET /2/tweets/search/recent. Returns the
 * request, or the 400 body the real API would send (every problem at once).
 */
export function parseSearchParams(
  params: URLSearchParams,
  nowMs: number,
): { ok: true; request: SearchRequest } | { ok: false; body: InvalidRequestBody } {
  const errors: ParameterError[] = [];
  const get = (name: string): string | null => params.get(name);

  for (const name of new Set(params.keys())) {
    if (!(SEARCH_PARAMETERS as readonly string[]).includes(name)) {
      errors.push(
        paramError(
          name,
          [get(name) ?? ""],
          `The query parameter [${name}] is not one of [${SEARCH_PARAMETERS.join(",")}]`,
        ),
      );
    }
  }

  const queryText = get("query") ?? "";
  let query: QueryNode | undefined;
  if (queryText.trim() === "") {
    errors.push(paramError("query", [], "The `query` query parameter can not be empty"));
  } else if ([...queryText].length > MAX_QUERY_LENGTH) {
    errors.push(
      paramError(
        "query",
        [queryText],
        `The \`query\` query parameter value [${queryText}] is not between 1 and ${MAX_QUERY_LENGTH}`,
      ),
    );
  } else {
    try {
      query = parseQuery(queryText);
    } catch (err) {
      if (!(err instanceof QuerySyntaxError)) throw err;
      errors.push(paramError("query", [queryText], `There were errors processing your request: ${err.message}`));
    }
  }

  let maxResults = 10;
  const rawMax = get("max_results");
  if (rawMax !== null) {
    if (!/^-?\d+$/u.test(rawMax)) {
      errors.push(
        paramError(
          "max_results",
          [rawMax],
          `The \`max_results\` query parameter value [${rawMax}] is not a valid integer`,
        ),
      );
    } else if (Number(rawMax) < 10 || Number(rawMax) > 100) {
      errors.push(
        paramError(
          "max_results",
          [rawMax],
          `The \`max_results\` query parameter value [${rawMax}] is not between 10 and 100`,
        ),
      );
    } else {
      maxResults = Number(rawMax);
    }
  }

  const sinceId = idParam("since_id", get("since_id"), errors);
  const untilId = idParam("until_id", get("until_id"), errors);
  const oldestAllowed = nowMs - RECENT_WINDOW_MS;
  if (sinceId !== undefined && snowflakeTime(sinceId) < oldestAllowed) {
    errors.push(
      paramError(
        "since_id",
        [sinceId.toString()],
        `Invalid 'since_id':'${sinceId}'. 'since_id' must be a tweet id created after ${minuteStamp(oldestAllowed)}.`,
      ),
    );
  }
  if (sinceId !== undefined && untilId !== undefined && sinceId >= untilId) {
    errors.push(
      paramError(
        "since_id",
        [sinceId.toString()],
        `Invalid 'since_id':'${sinceId}'. 'since_id' must be smaller than 'until_id'.`,
      ),
    );
  }

  const rawStart = get("start_time");
  const rawEnd = get("end_time");
  let startMs = timeParam("start_time", rawStart, errors);
  let endMs = timeParam("end_time", rawEnd, errors);
  if (startMs !== undefined && startMs < oldestAllowed) {
    errors.push(
      paramError(
        "start_time",
        [rawStart ?? ""],
        `Invalid 'start_time':'${rawStart}'. 'start_time' must be on or after ${minuteStamp(oldestAllowed)}`,
      ),
    );
  }
  if (endMs !== undefined && endMs > nowMs - END_TIME_MIN_LAG_MS) {
    errors.push(
      paramError(
        "end_time",
        [rawEnd ?? ""],
        `Invalid 'end_time':'${rawEnd}'. 'end_time' must be a minimum of 10 seconds prior to the request time.`,
      ),
    );
  }
  if (startMs !== undefined && endMs !== undefined && startMs >= endMs) {
    errors.push(
      paramError(
        "start_time",
        [rawStart ?? ""],
        `Invalid 'start_time':'${rawStart}'. 'start_time' must be before 'end_time'.`,
      ),
    );
  }
  // Twitter documents that since_id / until_id win over start_time / end_time.
  if (sinceId !== undefined) startMs = undefined;
  if (untilId !== undefined) endMs = undefined;

  let pageBefore: bigint | undefined;
  const tokenName = params.has("next_token") ? "next_token" : "pagination_token";
  const rawToken = get(tokenName);
  if (rawToken !== null) {
    pageBefore = decodePageToken(rawToken);
    if (pageBefore === undefined) {
      errors.push(
        paramError(tokenName, [rawToken], `The \`${tokenName}\` query parameter value [${rawToken}] is not valid`),
      );
    }
  }

  const sortOrder = get("sort_order");
  if (sortOrder !== null && sortOrder !== "recency" && sortOrder !== "relevancy") {
    errors.push(
      paramError(
        "sort_order",
        [sortOrder],
        `The \`sort_order\` query parameter value [${sortOrder}] is not one of [recency,relevancy]`,
      ),
    );
  }

  const tweetFields = listParam("tweet.fields", get("tweet.fields"), TWEET_FIELDS, errors);
  const expansions = listParam("expansions", get("expansions"), EXPANSIONS, errors);
  const userFields = listParam("user.fields", get("user.fields"), USER_FIELDS, errors);

  if (errors.length > 0 || query === undefined) return { ok: false, body: invalidRequest(errors) };
  return {
    ok: true,
    request: {
      queryText,
      query,
      maxResults,
      sinceId,
      untilId,
      startMs,
      endMs,
      pageBefore,
      tweetFields,
      expansions,
      userFields,
    },
  };
}
