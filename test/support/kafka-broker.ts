/**
 * The Kafka broker of one end-to-end test file: a real Apache Kafka broker
 * started from scripts/kafka/broker-lib.mjs in its own temporary data dir, or
 * the broker named by KAFKA_BROKERS when that is set (then it cannot be
 * restarted from here, and `restartable` is false).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./service-process.js";

/** The part of scripts/kafka/broker-lib.mjs's handle that tests use. */
interface BrokerHandle {
  readonly brokers: string;
  readonly pid: number;
  readonly startMs: number;
  stop(): Promise<string>;
  restart(): Promise<void>;
}
interface BrokerLib {
  startBroker(opts: { dataDir: string; log?: (line: string) => void }): Promise<BrokerHandle>;
}

export interface TestBroker {
  /** host:port list for KAFKA_BROKERS. */
  readonly brokers: string;
  /** False when the broker came from KAFKA_BROKERS (someone else's: never stopped or restarted here). */
  readonly restartable: boolean;
  /** Milliseconds the last (re)start took, 0 for an external broker. */
  startMs(): number;
  /** Stops the broker (it stays down until `start`); throws for an external broker. */
  stopForRestart(): Promise<void>;
  /** Starts a stopped broker again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops the broker for good and removes its data dir. */
  close(): Promise<void>;
}

/**
 * True, after skipping `t` and saying why in the output, when `broker` came from
 * KAFKA_BROKERS: a test that stops the broker would stop someone else's.
 */
export function skippedForExternalBroker(t: { skip(reason: string): void }, broker: TestBroker): boolean {
  if (broker.restartable) return false;
  const reason = "KAFKA_BROKERS is set: this test would have to stop a broker it did not start";
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
  return true;
}

export async function startTestBroker(name: string): Promise<TestBroker> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    const refuse = () => Promise.reject(new Error("the broker comes from KAFKA_BROKERS; it is not restarted here"));
    return {
      brokers: external,
      restartable: false,
      startMs: () => 0,
      stopForRestart: refuse,
      start: refuse,
      close: async () => undefined,
    };
  }
  const lib = (await import(pathToFileURL(path.join(ROOT, "scripts/kafka/broker-lib.mjs")).href)) as BrokerLib;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kafka-e2e-${name}-`));
  const handle = await lib.startBroker({ dataDir });
  // broker-lib drops its own exit hook on stop(); this one covers a run that dies after a restart.
  const killOnExit = () => {
    if (handle.pid) {
      try {
        process.kill(handle.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killOnExit);
  return {
    brokers: handle.brokers,
    restartable: true,
    startMs: () => handle.startMs,
    stopForRestart: async () => {
      await handle.stop();
    },
    start: () => handle.restart(),
    close: async () => {
      await handle.stop();
      process.off("exit", killOnExit);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
