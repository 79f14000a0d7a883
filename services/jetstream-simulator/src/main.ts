import { runService } from "@cryptostream/common";
import { simulatorOptionsFromEnv } from "./config.js";
import { startJetstreamSimulator } from "./simulator.js";

/** The simulator as a service: env config, /healthz + /metrics on HEALTH_PORT (default 9109), graceful stop. */
await runService({ name: "jetstream-simulator", defaultHealthPort: 9109 }, async ({ log, registry, metrics }) => {
  const options = simulatorOptionsFromEnv();
  const open = registry.gauge("jetstream_sim_connections", "Open subscriber connections.");
  const sim = await startJetstreamSimulator({ ...options, log, onFrameSent: () => metrics.messagesOut.inc() });
  registry.onCollect(() => open.set(sim.stats().connectionsOpen));
  log.info("jetstream simulator listening", {
    url: sim.url,
    subscribePath: "/subscribe",
    seed: options.seed,
    eventsPerSecond: options.eventsPerSecond,
    initialEvents: options.initialEvents,
    historySize: options.historySize,
  });
  return {
    stop: () => sim.stop(),
    health: () => ({ ok: true, detail: { events: sim.stats().events, connections: sim.stats().connectionsOpen } }),
  };
});
