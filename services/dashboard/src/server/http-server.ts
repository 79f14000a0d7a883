/**
 * The page's HTTP side (a thin adapter): the page and its scripts, all served from here
 * (the chart library from node_modules, never a CDN: the page works offline), and the
 * event stream of live updates at /events?dataset=/ticker/BTCUSDT.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { closeServer, listenOn } from "@cryptostream/common/service/http-listen";
import type { SseClient, SseHub } from "./sse-hub.js";

export interface StaticAsset {
  readonly type: string;
  readonly body: Buffer;
  /** Seconds a browser may keep it (the vendored library changes only with an upgrade). */
  readonly maxAge: number;
}

/** The page's files (index.html, app.js, style.css) and the chart library, read once at start. */
export function loadAssets(pageDir: string, chartLibrary: string): Map<string, StaticAsset> {
  const types: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
  };
  const assets = new Map<string, StaticAsset>();
  for (const name of fs.readdirSync(pageDir)) {
    const type = types[path.extname(name)];
    if (type) assets.set(`/${name}`, { type, body: fs.readFileSync(path.join(pageDir, name)), maxAge: 0 });
  }
  const index = assets.get("/index.html");
  if (!index) throw new Error(`${pageDir} has no index.html`);
  assets.set("/", index);
  assets.set("/vendor/lightweight-charts.js", {
    type: types[".js"]!,
    body: fs.readFileSync(chartLibrary),
    maxAge: 3600,
  });
  return assets;
}

export class PageServer {
  private server: http.Server | undefined;

  constructor(
    private readonly assets: ReadonlyMap<string, StaticAsset>,
    private readonly hub: SseHub,
    private readonly onPage: (client: SseClient) => Promise<void>,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    return listenOn(server, port, host);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://dashboard");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === "/events") {
      const client = this.hub.open(res, url.searchParams.get("dataset") ?? undefined);
      if (client) await this.onPage(client);
      return;
    }
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const asset = this.assets.get(url.pathname);
    if (!asset) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res
      .writeHead(200, {
        "content-type": asset.type,
        "content-length": asset.body.length,
        "cache-control": asset.maxAge > 0 ? `max-age=${asset.maxAge}` : "no-cache",
        "x-content-type-options": "nosniff",
      })
      .end(req.method === "HEAD" ? undefined : asset.body);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }
}
