/**
 * The live-subscription requests a client may send on a stream connection
 * (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY),
 * decided as pure functions: the caller applies the returned changes.
 * Replies follow Binance: {"result":...,"id":...} or {"error":{code,msg},"id":...}.
 */

import { parseStreamName, type StreamName } from "./streams.js";

export interface ControlState {
  readonly streams: ReadonlySet<string>;
  readonly combined: boolean;
}

export interface ControlOutcome {
  readonly reply: Record<string, unknown>;
  readonly subscribe?: StreamName[];
  readonly unsubscribe?: string[];
  readonly combined?: boolean;
}

/** Binance's error codes for stream-connection requests. */
export const ErrorCode = { unknownProperty: 0, invalidValueType: 1, invalidRequest: 2, invalidJson: 3 } as const;

function error(code: number, msg: string, id: unknown): ControlOutcome {
  return { reply: { error: { code, msg }, id: id ?? null } };
}

function streamParams(params: unknown, id: unknown): StreamName[] | ControlOutcome {
  if (!Array.isArray(params) || !params.every((p) => typeof p === "string")) {
    return error(ErrorCode.invalidRequest, "Invalid request: params must be an array of stream names", id);
  }
  const out: StreamName[] = [];
  for (const p of params as string[]) {
    const s = parseStreamName(p);
    if (!s) return error(ErrorCode.invalidRequest, `Invalid request: invalid stream name ${JSON.stringify(p)}`, id);
    out.push(s);
  }
  return out;
}

export function handleControlMessage(text: string, state: ControlState): ControlOutcome {
  let req: unknown;
  try {
    req = JSON.parse(text);
  } catch {
    return error(ErrorCode.invalidJson, "Invalid JSON: the request is not valid JSON", null);
  }
  if (typeof req !== "object" || req === null || Array.isArray(req)) {
    return error(ErrorCode.invalidRequest, "Invalid request: expected a JSON object", null);
  }
  const { method, params, id } = req as { method?: unknown; params?: unknown; id?: unknown };
  if (id !== undefined && id !== null && typeof id !== "number" && typeof id !== "string") {
    return error(ErrorCode.invalidRequest, "Invalid request: request ID must be an unsigned integer or a string", null);
  }
  switch (method) {
    case "SUBSCRIBE": {
      const names = streamParams(params, id);
      if (!Array.isArray(names)) return names;
      return { reply: { result: null, id: id ?? null }, subscribe: names };
    }
    case "UNSUBSCRIBE": {
      const names = streamParams(params, id);
      if (!Array.isArray(names)) return names;
      return { reply: { result: null, id: id ?? null }, unsubscribe: names.map((n) => n.name) };
    }
    case "LIST_SUBSCRIPTIONS":
      return { reply: { result: [...state.streams], id: id ?? null } };
    case "SET_PROPERTY": {
      if (!Array.isArray(params) || params[0] !== "combined") {
        return error(ErrorCode.unknownProperty, "Unknown property", id);
      }
      if (typeof params[1] !== "boolean")
        return error(ErrorCode.invalidValueType, "Invalid value type: expected Boolean", id);
      return { reply: { result: null, id: id ?? null }, combined: params[1] };
    }
    case "GET_PROPERTY": {
      if (!Array.isArray(params) || params[0] !== "combined") {
        return error(ErrorCode.unknownProperty, "Unknown property", id);
      }
      return { reply: { result: state.combined, id: id ?? null } };
    }
    default:
      return error(ErrorCode.invalidRequest, `Invalid request: unknown method ${JSON.stringify(method)}`, id);
  }
}
