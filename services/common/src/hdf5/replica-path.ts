import os from "node:os";
import path from "node:path";
import { readEnv, str } from "../config/env.js";

/**
 * HDF5 has one writer per file, so processor replicas sharing a Kafka consumer
 * group each write their own file: `data/binance.h5` becomes
 * `data/binance-<REPLICA_ID>.h5`. REPLICA_ID=auto takes the host name (a
 * container's id under `docker compose --scale`); unset means one processor and
 * the path as configured.
 */
export function replicaPath(filePath: string, replicaId: string): string {
  if (replicaId === "") return filePath;
  const id = replicaId.replace(/[^A-Za-z0-9._-]/g, "_");
  const ext = path.extname(filePath);
  return `${filePath.slice(0, filePath.length - ext.length)}-${id}${ext}`;
}

export function replicaIdFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const { REPLICA_ID } = readEnv({ REPLICA_ID: str("") }, env);
  return REPLICA_ID === "auto" ? os.hostname() : REPLICA_ID;
}
