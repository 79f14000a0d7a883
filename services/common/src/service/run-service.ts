import { CONFIG_EXIT_CODE, ConfigError, int, readEnv, str } from "../config/env.js";
import { createLogger, type Logger } from "../log/logger.js";
import { Registry, standardMetrics, type StandardMetrics } from "../metrics/registry.js";
import { type HealthCheck, HealthServer } from "./health-server.js";

/** What a service's start function returns: how to stop it, and how healthy it is. */
export interface RunningService {
  /** Stops intake, flushes what is in progress, closes sockets and files. */
  stop(): Promise<void>;
  health?: HealthCheck;
}

export interface ServiceContext {
  readonly log: Logger;
  readonly registry: Registry;
  readonly metrics: StandardMetrics;
  /** Ends the service with an error (exit code 1) after a graceful stop attempt. */
  fatal(err: unknown): void;
}

export interface ServiceOptions {
  readonly name: string;
  /** Default port for /healthz and /metrics (HEALTH_PORT overrides; 0 picks a free one). */
  readonly defaultHealthPort: number;
  /** Strings to scrub from every log line (secrets). */
  readonly redact?: string[];
  /** Time allowed for a graceful stop before the process exits anyway. */
  readonly stopTimeoutMs?: number;
}

/**
 * The common entry point of every service: logging, metrics, /healthz,
 * configuration errors (exit 2), SIGTERM/SIGINT handling (graceful stop,
 * exit 0 within the stop timeout), fatal errors (exit 1).
 */
export async function runService(
  opts: ServiceOptions,
  start: (ctx: ServiceContext) => Promise<RunningService>,
): Promise<void> {
  const log = createLogger({ service: opts.name }, { redact: opts.redact });
  const registry = new Registry();
  const metrics = standardMetrics(registry);
  const stopTimeoutMs = opts.stopTimeoutMs ?? 9_000;
  let running: RunningService | undefined;
  let health: HealthServer | undefined;
  let stopping: Promise<void> | undefined;

  const shutdown = (code: number, reason: string): Promise<void> => {
    if (stopping) return stopping;
    log.info("stopping", { reason });
    const timer = setTimeout(() => {
      log.error("graceful stop timed out; exiting", { timeoutMs: stopTimeoutMs });
      process.exit(code === 0 ? 1 : code);
    }, stopTimeoutMs);
    timer.unref();
    stopping = (async () => {
      try {
        await running?.stop();
      } catch (err) {
        log.error("error during stop", { err });
        code = code === 0 ? 1 : code;
      }
      await health?.close();
      log.info("stopped", { exitCode: code });
      process.exitCode = code;
      clearTimeout(timer);
      // Give stdout a tick to drain, then leave even if a handle lingers.
      setTimeout(() => process.exit(code), 50).unref();
    })();
    return stopping;
  };

  const fatal = (err: unknown): void => {
    log.error("fatal error", { err });
    void shutdown(1, "fatal error");
  };

  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("unhandledRejection", (err) => fatal(err));
  process.on("uncaughtException", (err) => fatal(err));

  try {
    const { HEALTH_PORT, HEALTH_HOST } = readEnv({
      HEALTH_PORT: int(opts.defaultHealthPort, 0, 65535),
      HEALTH_HOST: str("0.0.0.0"),
    });
    running = await start({ log, registry, metrics, fatal });
    health = new HealthServer(registry, () =>
      stopping ? { ok: false, detail: { stopping: true } } : (running?.health?.() ?? { ok: true }),
    );
    const port = await health.listen(HEALTH_PORT, HEALTH_HOST);
    log.info("started", { healthPort: port });
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(`configuration error: ${err.message}`, { problems: err.problems });
      process.exit(CONFIG_EXIT_CODE);
    }
    log.error("start failed", { err });
    await shutdown(1, "start failed");
  }
}
