import { monitorEventLoopDelay } from "node:perf_hooks";
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
  watchEventLoopDelay(registry);
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

/** How long one window of the event-loop delay histogram lasts. */
const LOOP_DELAY_WINDOW_MS = 10_000;

/**
 * process_event_loop_delay_p99_seconds and _max_seconds: how late the event loop ran timers
 * (perf_hooks.monitorEventLoopDelay, 10 ms resolution) over the last complete window of
 * LOOP_DELAY_WINDOW_MS; before the first window ends, over the time since start. A long
 * synchronous step (an HDF5 append, a collection) shows up here as delay for everything else.
 */
function watchEventLoopDelay(registry: Registry): void {
  const p99 = registry.gauge(
    "process_event_loop_delay_p99_seconds",
    `99th percentile of the event loop's delay over the last ${LOOP_DELAY_WINDOW_MS / 1000} s window.`,
  );
  const max = registry.gauge(
    "process_event_loop_delay_max_seconds",
    `Longest event loop delay over the last ${LOOP_DELAY_WINDOW_MS / 1000} s window.`,
  );
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let last: { p99: number; max: number } | undefined;
  // The histogram counts in nanoseconds; it is empty until the first sample.
  const read = () => (h.count > 0 ? { p99: h.percentile(99) / 1e9, max: h.max / 1e9 } : { p99: 0, max: 0 });
  setInterval(() => {
    last = read();
    h.reset();
  }, LOOP_DELAY_WINDOW_MS).unref();
  registry.onCollect(() => {
    const v = last ?? read();
    p99.set(v.p99);
    max.set(v.max);
  });
}
