/**
 * Service entry point: reads SIM_* variables, runs the simulator under
 * runService (/healthz and /metrics on HEALTH_PORT, default 9105; graceful
 * stop on SIGTERM/SIGINT). Starts only when run directly (node dist/main.js).
 */

import { runService } from "@cryptostream/common";
import { simulatorConfigFromEnv } from "./config.js";
import { isEntryPoint } from "./entry-point.js";
import { startBinanceSimulator } from "./simulator.js";

export const SERVICE_NAME = "binance-simulator";
export const DEFAULT_HEALTH_PORT = 9105;

export async function main(): Promise<void> {
  await runService({ name: SERVICE_NAME, defaultHealthPort: DEFAULT_HEALTH_PORT }, async (ctx) => {
    const { options, exitOnReplayEnd } = simulatorConfigFromEnv();
    const sim = await startBinanceSimulator({
      ...options,
      log: ctx.log,
      registry: ctx.registry,
      onReplayEnd: exitOnReplayEnd
        ? () => {
            ctx.log.info("replay finished and SIM_REPLAY_EXIT=true: stopping");
            // The same path as an operator's SIGTERM: graceful stop, exit code 0.
            process.kill(process.pid, "SIGTERM");
          }
        : undefined,
    });
    ctx.log.info("binance simulator ready", { url: sim.url });
    return { stop: () => sim.stop(), health: () => ({ ok: true, detail: { ...sim.stats() } }) };
  });
}

if (isEntryPoint(import.meta.url)) void main();
