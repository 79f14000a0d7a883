// The one way this repository runs a built service as its own process, the way a container
// runs it (`node services/<name>/dist/main.js`, configured only by its environment): used by
// the end-to-end specs (through test/support/service-process.ts), `npm start` / `npm run demo`
// (scripts/lib/stack.mjs) and the benchmarks (bench/). It parses the service's JSON log
// lines, reads its /metrics and /healthz, and stops it with a signal and a time limit, or
// kills it (the whole process group when it was started detached).
// Types: service-process.d.mts. TypeScript and scripts import it as "#service-process"
// (package.json "imports"); plain scripts beside it may use the relative path.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The environment a service gets: `env` over these defaults (over ours too, with inheritEnv). */
function serviceEnv(env, inheritEnv) {
  return {
    ...(inheritEnv ? process.env : { PATH: process.env.PATH ?? "" }),
    // Services log at info so that "started" (with the health port) is seen.
    LOG_LEVEL: "info",
    HEALTH_PORT: "0",
    HEALTH_HOST: "127.0.0.1",
    // As in the service images (Dockerfile): ZeroMQ's receive buffers go back to the system.
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? "8192",
    ...env,
  };
}

/**
 * Sums the samples of one metric in Prometheus text: every label set, or only the line
 * whose labels are exactly `labels` (e.g. 'reason="outbox_overflow"').
 */
export function metricValue(text, name, labels) {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(" ") || rest.startsWith("{"))) continue;
    if (labels !== undefined && !rest.startsWith(`{${labels}}`)) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** Every metric in Prometheus text, by name, its samples summed over label sets. */
export function metricTotals(text) {
  const out = {};
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const name = line.slice(0, line.search(/[ {]/));
    out[name] = (out[name] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return out;
}

export class ServiceProcess {
  /** Every stdout line that parsed as a JSON log record, in order. */
  logs = [];
  /** Stdout lines that were not JSON (a service should write none). */
  stdoutNoise = [];
  /** The last 20,000 characters of stderr (when stderr is piped). */
  stderr = "";
  /** undefined while running; then the exit code (null if a signal ended it). */
  exitCode = undefined;

  /**
   * Starts `services/<name>/dist/main.js`. `env` comes on top of PATH, LOG_LEVEL=info,
   * HEALTH_PORT=0, HEALTH_HOST=127.0.0.1 and MALLOC_MMAP_THRESHOLD_=8192; options:
   * inheritEnv (start from this process's environment instead of PATH alone),
   * stderr ("pipe", the default, keeps it in `stderr`; "inherit" passes it through),
   * detached (own process group: kill9 and a stop past its time limit kill the group),
   * nodeArgs (flags for node), onLine(line, record) (every stdout line, record undefined
   * when it is not JSON).
   */
  constructor(name, env = {}, { inheritEnv = false, stderr = "pipe", detached = false, nodeArgs = [], onLine } = {}) {
    this.name = name;
    this.detached = detached;
    this.child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "services", name, "dist", "main.js")], {
      cwd: ROOT,
      env: serviceEnv(env, inheritEnv),
      stdio: ["ignore", "pipe", stderr],
      detached,
    });
    this.pid = this.child.pid;
    // SERVICE_LOG_DIR=<dir>: every service's stdout also goes to <dir>/<name>-<pid>.log (to read after a failed run).
    const logDir = process.env.SERVICE_LOG_DIR;
    if (logDir) {
      fs.mkdirSync(logDir, { recursive: true });
      this.child.stdout.pipe(fs.createWriteStream(path.join(logDir, `${name}-${this.pid}.log`)));
    }
    let buf = "";
    this.child.stdout.setEncoding("utf8").on("data", (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let record;
        try {
          record = JSON.parse(line);
          this.logs.push(record);
        } catch {
          this.stdoutNoise.push(line);
        }
        onLine?.(line, record);
      }
    });
    this.child.stderr?.setEncoding("utf8").on("data", (c) => {
      this.stderr = (this.stderr + c).slice(-20_000);
    });
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  /** The first log record matching `pred`; throws if the service exits or time runs out first. */
  async waitForLog(pred, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.logs.find(pred);
      if (hit) return hit;
      if (this.exitCode !== undefined)
        throw new Error(
          `${this.name} exited (${this.exitCode}) before the expected log line; stderr: ${this.stderr.slice(-2000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `${this.name}: timed out waiting for a log line; last logs: ${JSON.stringify(this.logs.slice(-5))}`,
        );
      await sleep(50);
    }
  }

  /** The port of /healthz and /metrics, from the "started" log line. */
  async healthPort(timeoutMs = 20_000) {
    const l = await this.waitForLog((x) => x.msg === "started", timeoutMs);
    return l.healthPort;
  }

  /** The /metrics text. */
  async metricsText() {
    return (await fetch(`http://127.0.0.1:${await this.healthPort()}/metrics`)).text();
  }

  /** Reads one metric (summed over labels unless `labels` matches exactly one line). */
  async metric(name, labels) {
    return metricValue(await this.metricsText(), name, labels);
  }

  /** Every metric by name, summed over labels. */
  async metrics() {
    return metricTotals(await this.metricsText());
  }

  async health() {
    const r = await fetch(`http://127.0.0.1:${await this.healthPort()}/healthz`);
    return { status: r.status, body: await r.json() };
  }

  /** Sends a signal and waits for the exit code; SIGKILL (to the group, if detached) after timeoutMs. */
  async stop(signal = "SIGTERM", timeoutMs = 15_000) {
    if (this.exitCode === undefined) this.child.kill(signal);
    const timer = setTimeout(() => this.kill("SIGKILL"), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** kill -9: of the process, or of its whole process group when it was started detached. */
  kill9() {
    this.kill("SIGKILL");
    return this.exited;
  }

  waitExit() {
    return this.exited;
  }

  /** Sends `signal` to the process, or to its whole process group when it was started detached. */
  kill(signal) {
    if (!this.detached) {
      this.child.kill(signal);
      return;
    }
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}

export async function waitFor(what, probe, timeoutMs = 30_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
    await sleep(everyMs);
  }
}

/** A free TCP port on loopback (bound then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
