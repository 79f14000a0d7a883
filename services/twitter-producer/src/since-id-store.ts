/**
 * Remembers the newest tweet id already published, across restarts, in a
 * small JSON file. Writes are atomic: a temporary file is written, fsynced and
 * renamed over the old one, then the directory is fsynced, so after a crash
 * the file holds either the old id or the new one, never a torn mix.
 */
import { promises as fsp } from "node:fs";
import path from "node:path";
import { isTweetId } from "./search-response.js";

/** The file system calls the store makes; tests swap some out to inject failures. */
export interface StoreFs {
  readFile(p: string): Promise<string>;
  open(
    p: string,
    flags: string,
  ): Promise<{
    writeFile(data: string): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  mkdir(p: string): Promise<void>;
  unlink(p: string): Promise<void>;
}

export const realFs: StoreFs = {
  readFile: (p) => fsp.readFile(p, "utf8"),
  open: (p, flags) => fsp.open(p, flags),
  rename: (a, b) => fsp.rename(a, b),
  mkdir: async (p) => {
    await fsp.mkdir(p, { recursive: true });
  },
  unlink: (p) => fsp.unlink(p),
};

export interface StoredState {
  readonly sinceId: string;
  readonly updatedAt: string;
}

export type LoadResult =
  | { readonly kind: "missing" }
  | { readonly kind: "loaded"; readonly sinceId: string }
  | { readonly kind: "invalid"; readonly reason: string };

export class SinceIdStore {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly filePath: string,
    private readonly fs: StoreFs = realFs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async load(): Promise<LoadResult> {
    let text: string;
    try {
      text = await this.fs.readFile(this.filePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
      return {
        kind: "invalid",
        reason: `cannot read: ${(err as Error).message}`,
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: "invalid", reason: "not valid JSON" };
    }
    const id = (parsed as { sinceId?: unknown } | null)?.sinceId;
    if (!isTweetId(id))
      return {
        kind: "invalid",
        reason: "sinceId is missing or not a tweet id",
      };
    return { kind: "loaded", sinceId: id };
  }

  /** Saves `sinceId`; concurrent calls are applied in call order. */
  save(sinceId: string): Promise<void> {
    if (!isTweetId(sinceId)) return Promise.reject(new Error(`not a tweet id: ${JSON.stringify(sinceId)}`));
    const run = this.chain.then(() => this.write(sinceId));
    // Keep the chain alive after a failure; the caller still sees the rejection.
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(sinceId: string): Promise<void> {
    const dir = path.dirname(this.filePath);
    const tmp = `${this.filePath}.tmp-${process.pid}`;
    const state: StoredState = { sinceId, updatedAt: this.now().toISOString() };
    await this.fs.mkdir(dir);
    const fh = await this.fs.open(tmp, "w");
    try {
      await fh.writeFile(JSON.stringify(state) + "\n");
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await this.fs.rename(tmp, this.filePath);
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined);
      throw err;
    }
    // The rename itself is durable only once the directory entry is flushed.
    const dh = await this.fs.open(dir, "r");
    try {
      await dh.sync();
    } catch {
      // Some file systems refuse fsync on a directory; the rename has happened anyway.
    } finally {
      await dh.close();
    }
  }
}
