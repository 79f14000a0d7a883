#!/usr/bin/env node
/**
 * Local single-node Kafka broker for development and tests.
 *
 *   node scripts/kafka/broker.mjs start [--port N] [--controller-port N] [--dir D] [--heap-mb N] [--version V]
 *   node scripts/kafka/broker.mjs stop [--dir D]
 *   node scripts/kafka/broker.mjs status [--dir D]
 *   node scripts/kafka/broker.mjs fetch [--version V]   (only download the jars)
 *
 * `start` prints `KAFKA_BROKERS=127.0.0.1:<port>` on stdout (so
 * `eval "$(node scripts/kafka/broker.mjs start)"` works); progress goes to stderr.
 * Default data dir: .cache/kafka/broker.
 */
import { parseArgs } from "node:util";
import {
  DEFAULT_DATA_DIR,
  KAFKA_VERSION,
  MissingToolError,
  isBrokerProcess,
  readState,
  startBroker,
  stopPid,
  waitUntilServing,
} from "./broker-lib.mjs";
import { ensureKafkaJars, requireJava } from "./jars.mjs";
import { rmSync } from "node:fs";
import { join } from "node:path";

const progress = (line) => process.stderr.write(`[kafka] ${line}\n`);

function portArg(raw, name) {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
  return n;
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string" },
      "controller-port": { type: "string" },
      dir: { type: "string" },
      "heap-mb": { type: "string" },
      version: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const cmd = positionals[0];
  const dataDir = values.dir ?? DEFAULT_DATA_DIR;

  switch (cmd) {
    case "start": {
      const running = readState(dataDir);
      if (running && isBrokerProcess(running.pid)) {
        // Idempotent: a second start reports the broker that is already up.
        progress(`already running (pid ${running.pid}, dir ${running.dir})`);
        process.stdout.write(`KAFKA_BROKERS=127.0.0.1:${running.port}\n`);
        return 0;
      }
      const broker = await startBroker({
        dataDir,
        version: values.version ?? KAFKA_VERSION,
        port: portArg(values.port, "--port"),
        controllerPort: portArg(values["controller-port"], "--controller-port"),
        heapMb: values["heap-mb"] ? Number(values["heap-mb"]) : undefined,
        killOnExit: false,
        log: progress,
      });
      progress(
        `log: ${broker.logFile}; stop with: node scripts/kafka/broker.mjs stop${values.dir ? ` --dir ${values.dir}` : ""}`,
      );
      process.stdout.write(`KAFKA_BROKERS=${broker.brokers}\n`);
      return 0;
    }
    case "stop": {
      const state = readState(dataDir);
      if (!state) {
        progress(`no broker state in ${dataDir}; nothing to stop`);
        return 0;
      }
      const how = await stopPid(state.pid);
      rmSync(join(state.dir, "broker.json"), { force: true });
      progress(`broker pid ${state.pid}: ${how}`);
      return 0;
    }
    case "status": {
      const state = readState(dataDir);
      if (!state || !isBrokerProcess(state.pid)) {
        process.stdout.write(`stopped (dir ${dataDir})\n`);
        return 1;
      }
      const brokers = `127.0.0.1:${state.port}`;
      try {
        await waitUntilServing(brokers, { timeoutMs: 5_000, logFile: state.logFile });
      } catch {
        process.stdout.write(`not answering pid=${state.pid} brokers=${brokers} dir=${state.dir}\n`);
        return 3;
      }
      process.stdout.write(
        `running pid=${state.pid} version=${state.version} KAFKA_BROKERS=${brokers} dir=${state.dir} since=${state.startedAt}\n`,
      );
      return 0;
    }
    case "fetch": {
      requireJava();
      const version = values.version ?? KAFKA_VERSION;
      const libs = ensureKafkaJars({ version, log: progress });
      progress(`Kafka ${version} jars in ${libs}`);
      return 0;
    }
    default:
      process.stderr.write(
        "usage: node scripts/kafka/broker.mjs start [--port N] [--controller-port N] [--dir D] [--heap-mb N] [--version V] | stop [--dir D] | status [--dir D] | fetch [--version V]\n",
      );
      return values.help ? 0 : 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Missing tools: exactly one line saying what and how to install it.
    process.stderr.write(err instanceof MissingToolError ? `${err.message}\n` : `[kafka] ${err.message ?? err}\n`);
    process.exit(1);
  },
);
