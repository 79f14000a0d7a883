/**
 * Starts, stops and restarts a local single-node Apache Kafka broker (KRaft,
 * broker and controller in one JVM, loopback only) for development and tests.
 *
 *   const broker = await startBroker({ dataDir });   // formats on first use
 *   broker.brokers                                   // "127.0.0.1:<port>"
 *   await broker.restart();                          // same data dir, same ports
 *   await broker.stop();
 *
 * The broker runs detached with its output in <dataDir>/broker.log, and its
 * pid and ports in <dataDir>/broker.json (read by `broker.mjs stop|status`).
 */
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CACHE_ROOT, KAFKA_VERSION, REPO_ROOT, ensureKafkaJars, requireJava } from "./jars.mjs";
import { log4jProperties, randomClusterId, serverProperties } from "./broker-config.mjs";

export { KAFKA_VERSION, MissingToolError } from "./jars.mjs";

export const DEFAULT_DATA_DIR = join(CACHE_ROOT, "broker");
const STATE_FILE = "broker.json";
const LOG_FILE = "broker.log";

/** kafkajs is a dependency of the common workspace; resolve it from there. */
function loadKafkajs() {
  const require = createRequire(join(REPO_ROOT, "services", "common", "package.json"));
  return require("kafkajs");
}

/** A TCP port that is free on 127.0.0.1 right now. */
export async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** True when `pid` is a live Kafka broker process (not a recycled pid of something else). */
export function isBrokerProcess(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("kafka.Kafka");
  } catch {
    return true; // no /proc: trust the signal check
  }
}

export function readState(dataDir = DEFAULT_DATA_DIR) {
  const file = join(resolve(dataDir), STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function tail(file, lines = 25) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Resolves when the broker at `brokers` answers a describeCluster, or rejects after `timeoutMs`. */
export async function waitUntilServing(brokers, { timeoutMs = 60_000, isAlive = () => true, logFile } = {}) {
  const { Kafka, logLevel } = loadKafkajs();
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the broker process exited during start-up; last log lines:\n${tail(logFile)}`);
    const admin = new Kafka({
      clientId: "broker-probe",
      brokers: [brokers],
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1) return cluster;
    } catch (err) {
      lastErr = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(
    `the broker did not serve Kafka on ${brokers} within ${timeoutMs} ms (${lastErr?.message ?? "no answer"}); log: ${logFile}`,
  );
}

/** Sends SIGTERM (a clean shutdown flushes the logs), then SIGKILL after `graceMs`. */
export async function stopPid(pid, { graceMs = 30_000, exited } = {}) {
  const alive = () => (exited ? !exited() : isBrokerProcess(pid));
  if (!alive()) return "not running";
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return "not running";
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) return "stopped";
    await sleep(100);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {}
  while (alive()) await sleep(100);
  return "killed";
}

function formatStorage({ libs, dataDir, propsFile, logDir }) {
  // meta.properties in the log dir means it is already formatted (a restart keeps its data).
  if (existsSync(join(logDir, "meta.properties"))) return false;
  execFileSync(
    "java",
    [
      "-Xmx256m",
      "-cp",
      join(libs, "*"),
      `-Dlog4j.configuration=file:${join(dataDir, "log4j.properties")}`,
      "kafka.tools.StorageTool",
      "format",
      "-t",
      randomClusterId(randomBytes),
      "-c",
      propsFile,
      "--ignore-formatted",
    ],
    { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
  );
  return true;
}

/**
 * Starts the broker whose data lives in `dataDir` (created and formatted on
 * first use). `port` and `controllerPort` default to free ports; `jvmOpts`
 * (default: $KAFKA_BROKER_JVM_OPTS split on spaces) go to the JVM; `version`
 * (default: the pinned KAFKA_VERSION) exists to try other releases. With
 * `killOnExit` (default), the broker gets SIGTERM when this Node process exits,
 * so a crashed test run leaves nothing behind.
 */
export async function startBroker({
  dataDir = DEFAULT_DATA_DIR,
  version = KAFKA_VERSION,
  port,
  controllerPort,
  heapMb = 512,
  jvmOpts = (process.env.KAFKA_BROKER_JVM_OPTS ?? "").split(/\s+/).filter(Boolean),
  startTimeoutMs = 90_000,
  killOnExit = true,
  log = () => {},
} = {}) {
  requireJava();
  const libs = ensureKafkaJars({ version, log });
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });

  const previous = readState(dir);
  if (previous && isBrokerProcess(previous.pid)) {
    throw new Error(
      `a broker is already running from ${dir} (pid ${previous.pid}, 127.0.0.1:${previous.port}); stop it first`,
    );
  }

  const state = {
    port: port ?? (await freePort()),
    controllerPort: controllerPort ?? (await freePort()),
    pid: 0,
    startedAt: 0,
  };
  const logDir = join(dir, "kraft-logs");
  const propsFile = join(dir, "server.properties");
  const logFile = join(dir, LOG_FILE);
  writeFileSync(join(dir, "log4j.properties"), log4jProperties());

  let child;
  let exited = false;
  const onExit = () => {
    if (!exited && state.pid) {
      try {
        process.kill(state.pid, "SIGTERM");
      } catch {}
    }
  };

  const launch = async () => {
    writeFileSync(propsFile, serverProperties({ port: state.port, controllerPort: state.controllerPort, logDir }));
    const t0 = Date.now();
    if (formatStorage({ libs, dataDir: dir, propsFile, logDir })) log(`formatted ${logDir}`);
    const out = openSync(logFile, "a");
    exited = false;
    child = spawn(
      "java",
      [
        `-Xmx${heapMb}m`,
        "-Xms128m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        ...jvmOpts,
        `-Dlog4j.configuration=file:${join(dir, "log4j.properties")}`,
        `-Dkafka.logs.dir=${join(dir, "logs")}`,
        "-cp",
        join(libs, "*"),
        "kafka.Kafka",
        propsFile,
      ],
      { detached: true, stdio: ["ignore", out, out], cwd: dir },
    );
    closeSync(out);
    child.unref();
    child.once("exit", () => {
      exited = true;
    });
    state.pid = child.pid;
    const brokers = `127.0.0.1:${state.port}`;
    try {
      await waitUntilServing(brokers, { timeoutMs: startTimeoutMs, isAlive: () => !exited, logFile });
    } catch (err) {
      await stopPid(state.pid, { exited: () => exited, graceMs: 5_000 });
      throw err;
    }
    state.startedAt = Date.now();
    writeFileSync(
      join(dir, STATE_FILE),
      JSON.stringify(
        {
          pid: state.pid,
          port: state.port,
          controllerPort: state.controllerPort,
          dir,
          version,
          logFile,
          startedAt: new Date(state.startedAt).toISOString(),
        },
        null,
        2,
      ) + "\n",
    );
    handle.pid = state.pid;
    handle.startMs = Date.now() - t0;
    log(`Kafka ${version} serving on ${brokers} (pid ${state.pid}, ${handle.startMs} ms)`);
  };

  const stop = async () => {
    if (!state.pid) return "not running";
    const how = await stopPid(state.pid, { exited: () => exited });
    rmSync(join(dir, STATE_FILE), { force: true });
    state.pid = 0;
    handle.pid = 0;
    return how;
  };

  const handle = {
    brokers: `127.0.0.1:${state.port}`,
    port: state.port,
    controllerPort: state.controllerPort,
    dataDir: dir,
    logFile,
    pid: 0,
    /** Milliseconds from launching the JVM to the first answered describeCluster. */
    startMs: 0,
    stop: async () => {
      const how = await stop();
      process.off("exit", onExit);
      return how;
    },
    /** Stops the broker and starts it again on the same ports with the same data. */
    restart: async () => {
      await stop();
      await launch();
    },
  };

  if (killOnExit) process.on("exit", onExit);
  await launch();
  return handle;
}
