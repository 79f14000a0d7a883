// Starts a set of services as child processes (each configured only by its
// environment, as in a container), relays their JSON logs, reports progress from
// their /metrics, and stops them in reverse order on Ctrl-C or after a time limit.
// Each service runs in its own process group, so Ctrl-C in the terminal reaches only
// this script, which then stops the services in order.
import { ROOT, ServiceProcess } from "./service-process.mjs";

export { ROOT };

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Node flags per service, as the compose files set them: the binance-processor's V8 old
 * generation is capped (README, Benchmarks: uncapped it grows lazily past 300 MB over 10
 * million events). BINANCE_PROCESSOR_NODE_OPTIONS replaces it, as in compose.
 */
const NODE_OPTIONS = {
  "binance-processor": process.env.BINANCE_PROCESSOR_NODE_OPTIONS ?? "--max-old-space-size=128",
};

export class Stack {
  constructor({ logLevel = "warn" } = {}) {
    this.logLevel = logLevel;
    this.services = [];
    // Should this script end without stopAll (an uncaught error), the services stop too.
    process.on("exit", () => {
      for (const svc of this.services) if (svc.exitCode === undefined) svc.kill("SIGTERM");
    });
  }

  /** Starts `services/<name>/dist/main.js`; resolves once it reports "started". */
  async start(name, env) {
    // Services log at info so the stack sees "started"; it relays only lines at or above logLevel.
    const relay = (line, record) => {
      const level = record ? (record.level ?? "info") : "error"; // not JSON: always shown
      if ((LEVELS[level] ?? 20) >= (LEVELS[this.logLevel] ?? 20)) process.stdout.write(line + "\n");
    };
    // The service variables of this environment (see README) pass through.
    const nodeOptions = NODE_OPTIONS[name] ? { NODE_OPTIONS: NODE_OPTIONS[name] } : {};
    const svc = new ServiceProcess(
      name,
      { ...nodeOptions, ...env },
      { inheritEnv: true, stderr: "inherit", detached: true, onLine: relay },
    );
    this.services.push(svc);
    try {
      // Kept so that others (the dashboard) can be pointed at its /metrics.
      svc.port = await svc.healthPort(60_000);
    } catch {
      if (svc.exitCode !== undefined) throw new Error(`${name} exited with code ${svc.exitCode} while starting`);
      throw new Error(`${name} did not start within 60 s`);
    }
    return svc;
  }

  async metrics(name) {
    const svc = this.services.find((s) => s.name === name);
    try {
      return svc ? await svc.metrics() : {};
    } catch {
      return {};
    }
  }

  /** Stops every service, newest first, with SIGTERM (SIGKILL after 15 s). */
  async stopAll() {
    const codes = {};
    for (const svc of [...this.services].reverse()) codes[svc.name] = await svc.stop("SIGTERM", 15_000);
    return codes;
  }

  /** Resolves on SIGINT/SIGTERM or after `seconds` (0 = no limit). */
  waitForStop(seconds) {
    return new Promise((resolve) => {
      const done = (why) => resolve(why);
      process.once("SIGINT", () => done("Ctrl-C"));
      process.once("SIGTERM", () => done("SIGTERM"));
      if (seconds > 0) setTimeout(() => done(`${seconds} s elapsed`), seconds * 1000).unref();
      for (const svc of this.services) svc.waitExit().then((code) => done(`${svc.name} exited with code ${code}`));
    });
  }
}
