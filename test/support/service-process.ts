/**
 * Runs a built service as its own process, the way a container runs it
 * (`node services/<name>/dist/main.js`, configured only by environment),
 * and gives tests its parsed JSON logs, its /metrics and its exit code.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly stdoutNoise: string[] = [];
  stderr = "";
  exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [path.join(ROOT, "services", name, "dist", "main.js")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buf = "";
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.stdoutNoise.push(line);
        }
      }
    });
    this.child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      this.stderr = (this.stderr + c).slice(-20_000);
    });
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  async waitForLog(pred: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
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

  async healthPort(): Promise<number> {
    const l = await this.waitForLog((x) => x.msg === "started");
    return l.healthPort as number;
  }

  /** Reads one metric (summed over labels unless `labels` matches exactly one line). */
  async metric(name: string, labels?: string): Promise<number> {
    const port = await this.healthPort();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
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

  async health(): Promise<{ status: number; body: unknown }> {
    const port = await this.healthPort();
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: r.status, body: await r.json() };
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<number | null> {
    if (this.exitCode === undefined) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  kill9(): Promise<number | null> {
    this.child.kill("SIGKILL");
    return this.exited;
  }

  waitExit(): Promise<number | null> {
    return this.exited;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await sleep(everyMs);
  }
}

/** A free TCP port on loopback (bound then released). */
export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
