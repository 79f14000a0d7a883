/**
 * Service entry point: `node dist/main.js [DATA_DIR]` (or `npm run dashboard -- [DATA_DIR]`).
 * Serves the dashboard page on DASHBOARD_HOST:DASHBOARD_PORT and, like every service,
 * /healthz and /metrics on HEALTH_PORT (default 9107), JSON logs, graceful stop on SIGTERM.
 * Read-only: it never writes to the data folder.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runService } from "@cryptostream/common";
import { dashboardConfig } from "./config.js";
import { Dashboard } from "./dashboard.js";
import { loadAssets, PageServer } from "./server/http-server.js";

export const SERVICE_NAME = "dashboard";
export const DEFAULT_HEALTH_PORT = 9107;

/** The chart library's self-contained build, from node_modules. */
function chartLibrary(): string {
  const pkg = createRequire(import.meta.url).resolve("lightweight-charts/package.json");
  return path.join(path.dirname(pkg), "dist", "lightweight-charts.standalone.production.js");
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  await runService({ name: SERVICE_NAME, defaultHealthPort: DEFAULT_HEALTH_PORT }, async (ctx) => {
    const cfg = dashboardConfig(process.env, argv);
    const assets = loadAssets(fileURLToPath(new URL("../page/", import.meta.url)), chartLibrary());
    const dashboard = new Dashboard(cfg, ctx.log, ctx.registry);
    await dashboard.start();
    const server = new PageServer(assets, dashboard.hub, (client) => dashboard.connect(client));
    const port = await server.listen(cfg.port, cfg.host);
    const shown = cfg.host === "0.0.0.0" || cfg.host === "::" ? "127.0.0.1" : cfg.host;
    ctx.log.info("dashboard ready", {
      url: `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/`,
      port,
      dataDir: cfg.dataDir,
      services: cfg.services.map((s) => s.name),
    });
    return {
      stop: async () => {
        dashboard.stop();
        await server.close();
      },
    };
  });
}

void main();
