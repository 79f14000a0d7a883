/**
 * Error bodies in the shapes the real API uses: RFC 7807-style "problem"
 * objects for auth, rate-limit and server errors, and an `errors` array for
 * invalid requests.
 */

const TITLES: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export interface Problem {
  title: string;
  detail: string;
  type: string;
  status: number;
}

/**
 * E.g. 401 -> {"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}.
 * Key order copies what the real API sends (it differs between 401 and the others).
 */
export function problem(status: number): Problem {
  const title = TITLES[status] ?? "Error";
  if (status === 401) return { title, type: "about:blank", status, detail: title };
  return { title, detail: title, type: "about:blank", status };
}

export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

export interface InvalidRequestBody {
  errors: ParameterError[];
  title: "Invalid Request";
  detail: "One or more parameters to your request was invalid.";
  type: "https://api.twitter.com/2/problems/invalid-request";
}

export function invalidRequest(errors: ParameterError[]): InvalidRequestBody {
  return {
    errors,
    title: "Invalid Request",
    detail: "One or more parameters to your request was invalid.",
    type: "https://api.twitter.com/2/problems/invalid-request",
  };
}

export function paramError(name: string, values: string[], message: string): ParameterError {
  return { parameters: { [name]: values }, message };
}

/** What api.twitter.com answers for an unknown path (a v1.1-style body). */
export const NOT_FOUND_BODY = { errors: [{ message: "Sorry, that page does not exist", code: 34 }] };
