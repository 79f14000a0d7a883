/**
 * Notices when a store changes. The processors replace a partition file by rename at every
 * flush, so the inode changes with each new version; polling stat (inode, size, mtime) sees
 * that on any filesystem, bind mounts included, where fs.watch may miss renames. Only the
 * open partitions (the newest periods: older ones are sealed) are stat'ed, plus one listing
 * of the folder, so a poll costs the same however much history the folder holds; a new
 * partition, or one deleted by retention, changes the listing.
 */
import fs from "node:fs";
import type { Logger } from "@cryptostream/common";
import type { StoreFile } from "@cryptostream/common/store/layout";
import { openFiles, periodGroups, storeFiles } from "./store-files.js";

/** "missing", an error code, or inode:size:mtime: equal identities mean the same version. */
export async function fileIdentity(filePath: string): Promise<string> {
  try {
    const s = await fs.promises.stat(filePath, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    return code === "ENOENT" ? "missing" : code;
  }
}

/** The store's files and a string that changes whenever the listing or an open partition does. */
export async function storeIdentity(given: string): Promise<{ files: StoreFile[]; identity: string }> {
  let files: StoreFile[];
  try {
    files = storeFiles(given);
  } catch (err) {
    return { files: [], identity: `listing:${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const open = new Set(openFiles(periodGroups(files)).map((f) => f.path));
  const parts = await Promise.all(
    files.map(async (f) => (open.has(f.path) ? `${f.path}=${await fileIdentity(f.path)}` : f.path)),
  );
  return { files, identity: parts.join("\n") };
}

export class StoreWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private busy = false;

  constructor(
    private readonly given: string,
    private readonly everyMs: number,
    /** Called once at start and after each change; the next check waits until it resolves. */
    private readonly onChange: (files: StoreFile[]) => Promise<void> | void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { files, identity } = await storeIdentity(this.given);
      if (identity === this.last) return;
      this.last = identity;
      await this.onChange(files);
    } catch (err) {
      // A read that failed in a way nobody foresaw: read again at the next change, never stop.
      this.log.warn("store read failed: read again at its next change", {
        store: this.given,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      this.busy = false;
    }
  }
}
