/**
 * A loopback HTTP proxy in front of the Twitter simulator that keeps the exact
 * body of every 200 search response, so a test can compare what a consumer
 * received with what the API really sent (the simulator's own served log keeps
 * tweets, not whole responses).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordingProxy {
  readonly url: string;
  /** Bodies of 200 responses to the search endpoint, in the order they were answered. */
  readonly bodies: string[];
  stop(): Promise<void>;
}

export async function startRecordingProxy(
  target: string,
  searchPath = "/2/tweets/search/recent",
): Promise<RecordingProxy> {
  const bodies: string[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          const body = Buffer.concat(chunks);
          if (up.statusCode === 200 && (req.url ?? "").split("?")[0] === searchPath) bodies.push(body.toString("utf8"));
          res.writeHead(up.statusCode ?? 502, up.headers).end(body);
        });
      },
    );
    out.on("error", () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
