import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { writeReplayFile } from "./replay-fixture.js";

const MAIN = fileURLToPath(import.meta.resolve("@cryptostream/binance-simulator/main"));

interface Run {
  kill(signal: NodeJS.Signals): void;
  logs: Record<string, unknown>[];
  exit: Promise<number | null>;
  /** Resolves with the first log record matching the predicate. */
  waitLog(pred: (r: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function runMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, SIM_PORT: "0", HEALTH_PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: { pred: (r: Record<string, unknown>) => boolean; resolve: (r: Record<string, unknown>) => void }[] =
    [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    // Every stdout line must be a JSON log record.
    const rec = JSON.parse(line) as Record<string, unknown>;
    logs.push(rec);
    for (const w of [...waiters]) if (w.pred(rec)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(rec));
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => (clearTimeout(timer), r(code))));
  return {
    kill: (signal) => child.kill(signal),
    logs,
    exit,
    waitLog: (pred) => {
      const found = logs.find(pred);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

test("main: SIM_REPLAY_EXIT=true sends the whole file, closes with 1001 and exits 0", async () => {
  const dir = await mkdtemp(join(tmpdir(), "binsim-main-"));
  try {
    const path = join(dir, "r.jsonl");
    const fixture = await writeReplayFile(path, { events: 500, seed: 3, malformedEvery: 100 });
    const run = runMain({ SIM_REPLAY_FILE: path, SIM_REPLAY_EXIT: "true" });
    const ready = await run.waitLog((r) => r.msg === "binance simulator ready");
    const ws = new WebSocket(`${String(ready.url)}/stream?streams=btcusdt@ticker`);
    const got: string[] = [];
    ws.on("message", (d) => got.push(d.toString()));
    const code = await new Promise<number>((r) => ws.on("close", (c) => r(c)));
    assert.equal(code, 1001);
    assert.deepEqual(
      got,
      fixture.lines.map((l) => l.text),
    );
    assert.equal(await run.exit, 0);
    assert.ok(run.logs.some((r) => r.msg === "replay reached the end of the file"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("main: serves /healthz with stats, stops on SIGTERM with exit 0", async () => {
  const child = runMain({ SIM_INTERVAL_MS: "50", SIM_SEED: "1" });
  const started = await child.waitLog((r) => r.msg === "started");
  const res = await fetch(`http://127.0.0.1:${String(started.healthPort)}/healthz`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body.status, "ok");
  assert.equal(body.mode, "generate");
  assert.equal(body.seed, 1);
  const metrics = await (await fetch(`http://127.0.0.1:${String(started.healthPort)}/metrics`)).text();
  assert.match(metrics, /binance_sim_connections /);
  child.kill("SIGTERM");
  assert.equal(await child.exit, 0);
});

test("main: a bad variable exits with code 2", async () => {
  const run = runMain({ SIM_DROP_STYLE: "gentle" });
  assert.equal(await run.exit, 2);
  assert.ok(run.logs.some((r) => String(r.msg).includes("SIM_DROP_STYLE")));
});

test("importing main.js does not start a server", async () => {
  const before = process.listenerCount("SIGTERM");
  await import("@cryptostream/binance-simulator/main");
  assert.equal(process.listenerCount("SIGTERM"), before, "runService was not called");
});
