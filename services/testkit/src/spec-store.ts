/** A partitioned store for specs, and where its files are. */
import fs from "node:fs";
import path from "node:path";
import type { H5Appender } from "@cryptostream/common/hdf5/appender";
import { silentLogger } from "@cryptostream/common";
import { listStore, type PartitionSpan, periodOf, storeDirOf } from "@cryptostream/common/store/layout";
import { PartitionedStore } from "@cryptostream/common/store/partitioned-store";

export interface SpecStoreOptions {
  readonly span?: PartitionSpan;
  readonly latenessMs?: number;
  readonly retentionMs?: number;
  readonly replicaId?: string;
  readonly now?: () => number;
  readonly openAppender?: (file: string) => H5Appender;
  readonly maxWriteShare?: number;
}

/** The store a processor configured with `file` (the earlier single-file setting, `x.h5`) writes: folder `x`. */
export function specStore(file: string, o: SpecStoreOptions = {}): PartitionedStore {
  return new PartitionedStore({
    dir: storeDirOf(file),
    span: o.span ?? "day",
    replicaId: o.replicaId ?? "",
    latenessMs: o.latenessMs ?? 0,
    retentionMs: o.retentionMs ?? 0,
    legacyFile: file.endsWith(".h5") ? file : undefined,
    log: silentLogger,
    ...(o.now ? { now: o.now } : {}),
    ...(o.openAppender ? { openAppender: o.openAppender } : {}),
    ...(o.maxWriteShare !== undefined ? { maxWriteShare: o.maxWriteShare } : {}),
  });
}

/** The partition file that holds rows of `time` in the store of `file`. */
export function partitionFile(file: string, time: number, span: PartitionSpan = "day"): string {
  return path.join(storeDirOf(file), `${periodOf(time, span).id}.h5`);
}

/** The newest store file in the store of `file`: the one a spec with one period reads back (`file` itself if none). */
export function newestStoreFile(file: string): string {
  const dir = storeDirOf(file);
  if (!fs.existsSync(dir)) return file;
  return listStore(dir).at(-1)?.path ?? file;
}
