// Types of service-process.mjs (the process runner of specs, scripts and benchmarks).
import type { ChildProcess } from "node:child_process";

/** The repository's root folder. */
export declare const ROOT: string;

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface ServiceProcessOptions {
  /** Start from this process's environment instead of PATH alone (default false). */
  inheritEnv?: boolean;
  /** "pipe" (default): kept in `stderr`; "inherit": passed through to ours. */
  stderr?: "pipe" | "inherit";
  /** Own process group: kill9 and a stop past its time limit kill the whole group (default false). */
  detached?: boolean;
  /** Flags for node, before the script. */
  nodeArgs?: readonly string[];
  /** Every stdout line; `record` is undefined when the line is not JSON. */
  onLine?: (line: string, record: LogLine | undefined) => void;
}

export declare class ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly detached: boolean;
  readonly child: ChildProcess;
  /** Every stdout line that parsed as a JSON log record, in order. */
  readonly logs: LogLine[];
  /** Stdout lines that were not JSON. */
  readonly stdoutNoise: string[];
  /** The last 20,000 characters of stderr (when piped). */
  stderr: string;
  /** undefined while running; then the exit code (null if a signal ended it). */
  exitCode: number | null | undefined;
  /**
   * Starts `services/<name>/dist/main.js`; `env` comes on top of PATH, LOG_LEVEL=info,
   * HEALTH_PORT=0, HEALTH_HOST=127.0.0.1 and MALLOC_MMAP_THRESHOLD_=8192.
   */
  constructor(name: string, env?: Record<string, string | undefined>, options?: ServiceProcessOptions);
  /** The first log record matching `pred`; throws if the service exits or time runs out first. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The port of /healthz and /metrics, from the "started" log line. */
  healthPort(timeoutMs?: number): Promise<number>;
  metricsText(): Promise<string>;
  /** Reads one metric (summed over labels unless `labels` matches exactly one line). */
  metric(name: string, labels?: string): Promise<number>;
  /** Every metric by name, summed over labels. */
  metrics(): Promise<Record<string, number>>;
  health(): Promise<{ status: number; body: unknown }>;
  /** Sends a signal and waits for the exit code; SIGKILL (to the group, if detached) after timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** kill -9: of the process, or of its whole process group when it was started detached. */
  kill9(): Promise<number | null>;
  waitExit(): Promise<number | null>;
  /** Sends `signal` to the process, or to its whole process group when it was started detached. */
  kill(signal: NodeJS.Signals): void;
}

export declare const sleep: (ms: number) => Promise<void>;

export declare function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs?: number,
  everyMs?: number,
): Promise<T>;

/** A free TCP port on loopback (bound then released). */
export declare function freePort(): Promise<number>;

/** Sums one metric's samples in Prometheus text: every label set, or exactly `{labels}`. */
export declare function metricValue(text: string, name: string, labels?: string): number;

/** Every metric in Prometheus text, by name, its samples summed over label sets. */
export declare function metricTotals(text: string): Record<string, number>;
