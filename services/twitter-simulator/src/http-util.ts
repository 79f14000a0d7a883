import type http from "node:http";

export const JSON_TYPE = "application/json; charset=utf-8";

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": JSON_TYPE, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a small JSON request body (control API only). */
export async function readJson(req: http.IncomingMessage, limitBytes = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) throw new Error("request body too large");
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  return text === "" ? {} : (JSON.parse(text) as unknown);
}
