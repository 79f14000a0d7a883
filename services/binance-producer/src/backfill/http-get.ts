import axios from "axios";

/** The one HTTP call the backfill makes, behind an interface so unit specs can answer it themselves. */
export interface HttpResponse {
  readonly status: number;
  /** Header names in lowercase. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly data: unknown;
}

export type HttpGet = (
  url: string,
  params: Readonly<Record<string, string | number>>,
  opts: { readonly signal: AbortSignal; readonly timeoutMs: number },
) => Promise<HttpResponse>;

export const axiosGet: HttpGet = async (url, params, { signal, timeoutMs }) => {
  const res = await axios.get(url, {
    params,
    signal,
    timeout: timeoutMs,
    // Statuses are the client's business (429/418 carry Retry-After), not exceptions.
    validateStatus: () => true,
    responseType: "json",
  });
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(res.headers ?? {}))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v == null ? undefined : String(v);
  return { status: res.status, headers, data: res.data };
};
