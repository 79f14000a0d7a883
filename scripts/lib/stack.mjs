// Starts a set of services as child processes (each configured only by its
// environment, as in a container), relays their JSON logs, reports progress from
// their /metrics, and stops them in reverse order on Ctrl-C or after a time limit.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Stack {
  constructor({ logLevel = "warn" } = {}) {
    this.logLevel = logLevel;
    this.services = [];
  }

  /** Starts `services/<name>/dist/main.js`; resolves once it reports "started". */
  async start(name, env) {
    const child = spawn(process.execPath, [path.join(ROOT, "services", name, "dist", "main.js")], {
      cwd: ROOT,
      // Services log at info so the stack sees "started"; it relays only lines at or above logLevel.
      // MALLOC_MMAP_THRESHOLD_ as in the Dockerfile (less resident memory under load).
      env: { MALLOC_MMAP_THRESHOLD_: "8192", ...process.env, LOG_LEVEL: "info", HEALTH_HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const svc = { name, child, healthPort: undefined, exit: undefined };
    svc.exited = new Promise((resolve) => child.on("exit", (code) => resolve((svc.exit = code))));
    let buf = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let level = "info";
        try {
          const rec = JSON.parse(line);
          if (rec.msg === "started") svc.healthPort = rec.healthPort;
          level = rec.level ?? "info";
        } catch {
          level = "error"; // not JSON: always shown
        }
        if ((LEVELS[level] ?? 20) >= (LEVELS[this.logLevel] ?? 20)) process.stdout.write(line + "\n");
      }
    });
    this.services.push(svc);
    for (let waited = 0; svc.healthPort === undefined; waited += 50) {
      if (svc.exit !== undefined) throw new Error(`${name} exited with code ${svc.exit} while starting`);
      if (waited > 60_000) throw new Error(`${name} did not start within 60 s`);
      await sleep(50);
    }
    return svc;
  }

  async metrics(name) {
    const svc = this.services.find((s) => s.name === name);
    if (!svc?.healthPort) return {};
    try {
      const text = await (await fetch(`http://127.0.0.1:${svc.healthPort}/metrics`)).text();
      const out = {};
      for (const line of text.split("\n")) {
        if (!line || line.startsWith("#")) continue;
        const metric = line.slice(0, line.search(/[ {]/));
        out[metric] = (out[metric] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
      }
      return out;
    } catch {
      return {};
    }
  }

  /** Stops every service, newest first (producers before... see callers' order), with SIGTERM. */
  async stopAll() {
    const codes = {};
    for (const svc of [...this.services].reverse()) {
      if (svc.exit === undefined) svc.child.kill("SIGTERM");
      const timer = setTimeout(() => svc.child.kill("SIGKILL"), 15_000);
      codes[svc.name] = await svc.exited;
      clearTimeout(timer);
    }
    return codes;
  }

  /** Resolves on SIGINT/SIGTERM or after `seconds` (0 = no limit). */
  waitForStop(seconds) {
    return new Promise((resolve) => {
      const done = (why) => resolve(why);
      process.once("SIGINT", () => done("Ctrl-C"));
      process.once("SIGTERM", () => done("SIGTERM"));
      if (seconds > 0) setTimeout(() => done(`${seconds} s elapsed`), seconds * 1000).unref();
      for (const svc of this.services) svc.exited.then((code) => done(`${svc.name} exited with code ${code}`));
    });
  }
}
