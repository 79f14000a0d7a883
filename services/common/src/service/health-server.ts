import http from "node:http";
import type { Registry } from "../metrics/registry.js";
import { closeServer, listenOn } from "./http-listen.js";

export type HealthCheck = () => { ok: boolean; detail?: Record<string, unknown> };

/**
 * Serves GET /healthz (200 when the service's check passes, 503 otherwise,
 * with a JSON body) and GET /metrics (Prometheus text format).
 */
export class HealthServer {
  private server: http.Server | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly check: HealthCheck,
  ) {}

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
      } else if (path === "/healthz") {
        const { ok, detail } = this.check();
        res
          .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: ok ? "ok" : "unhealthy", ...detail }));
      } else if (path === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(this.registry.render());
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      }
    });
    this.server = server;
    return listenOn(server, port, host);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }
}
