/**
 * The store variables, read the same way for every processor (`prefix` =
 * BINANCE or TWITTER), and the store they describe.
 */
import { duration, oneOf, readEnv, str } from "../config/env.js";
import { replicaIdFromEnv, replicaPath } from "../hdf5/replica-path.js";
import type { Logger } from "../log/logger.js";
import { PARTITION_SPANS, storeDirOf } from "./layout.js";
import { PartitionedStore } from "./partitioned-store.js";

export function storeEnv(prefix: string, defaultPath: string) {
  return {
    /**
     * The store folder. A path ending in `.h5` (the earlier single-file setting) names the folder
     * without the extension, and a file of the earlier layout found at that path is moved into it.
     */
    [`${prefix}_H5_PATH`]: str(defaultPath),
    /** The event-time period of one partition file: a UTC day or hour of the rows' window start. */
    [`${prefix}_PARTITION`]: oneOf(PARTITION_SPANS, "day"),
    /** Sealed partitions whose period ended longer ago are removed (e.g. 30d, 12h); 0 keeps everything. */
    [`${prefix}_RETENTION`]: duration(0),
  };
}

export interface StoreSettings {
  readonly dir: string;
  readonly span: (typeof PARTITION_SPANS)[number];
  readonly retentionMs: number;
  readonly replicaId: string;
  readonly legacyFile: string | undefined;
}

export function readStoreSettings(
  prefix: string,
  defaultPath: string,
  env: NodeJS.ProcessEnv = process.env,
): StoreSettings {
  const v = readEnv(storeEnv(prefix, defaultPath), env) as Record<string, unknown>;
  const configured = v[`${prefix}_H5_PATH`] as string;
  const replicaId = replicaIdFromEnv(env);
  return {
    dir: storeDirOf(configured),
    span: v[`${prefix}_PARTITION`] as StoreSettings["span"],
    retentionMs: v[`${prefix}_RETENTION`] as number,
    replicaId,
    // Where the earlier layout wrote this replica's single file.
    legacyFile: configured.endsWith(".h5") ? replicaPath(configured, replicaId) : undefined,
  };
}

/** The store a processor writes, from its settings. */
export function storeFromSettings(
  s: StoreSettings,
  o: { latenessSeconds: number; log: Logger; maxWriteShare?: number },
): PartitionedStore {
  return new PartitionedStore({
    dir: s.dir,
    span: s.span,
    replicaId: s.replicaId,
    latenessMs: o.latenessSeconds * 1000,
    retentionMs: s.retentionMs,
    legacyFile: s.legacyFile,
    log: o.log,
    ...(o.maxWriteShare !== undefined ? { maxWriteShare: o.maxWriteShare } : {}),
  });
}
