/**
 * Reads partition files for the dashboard and remembers what it read per file version
 * (inode, size, mtime): a sealed partition is opened once, and after a processor's flush only
 * the partition it replaced is opened again. A file that vanishes (retention deleted it) or is
 * replaced while it is read is skipped with a warning, never an error.
 */
import fs from "node:fs";
import type { Logger } from "@cryptostream/common";
import type { H5File } from "@cryptostream/common/hdf5/h5";
import { type FileStatus, readH5 } from "./h5-files.js";

export interface ReadQuery {
  readonly key: string;
  /** `previous` is this query's value on the file's previous version, for reads that only add the new rows. */
  readonly fn: (file: H5File, previous: unknown) => unknown;
}

export interface FileRead {
  readonly values: ReadonlyMap<string, unknown>;
  readonly identity: string;
  readonly mtimeMs: number;
  readonly bytes: number;
}

interface Entry {
  identity: string;
  mtimeMs: number;
  bytes: number;
  values: Map<string, unknown>;
  /** The values of the version before, for incremental queries. */
  previous: Map<string, unknown>;
}

/** Values kept per file (query keys: a few per shown table). */
const MAX_KEYS_PER_FILE = 64;
const RECENT_OPENS = 100;

function identityOf(filePath: string): { identity: string; mtimeMs: number; bytes: number } | undefined {
  try {
    const s = fs.statSync(filePath, { bigint: true });
    return { identity: `${s.ino}:${s.size}:${s.mtimeNs}`, mtimeMs: Number(s.mtimeMs), bytes: Number(s.size) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export class PartitionReader {
  private readonly cache = new Map<string, Entry>();
  /** Files that could not be read in the current round, with why. */
  readonly problems = new Map<string, FileStatus>();
  /** Files opened since start (each open reads one version of one file). */
  opens = 0;
  /** The newest RECENT_OPENS files opened, oldest first (for specs). */
  readonly recentOpens: string[] = [];

  constructor(
    private readonly log: Logger,
    private readonly onOpen: (filePath: string) => void = () => undefined,
  ) {}

  /** Starts a round of reads (one per change): forgets the previous round's problems. */
  beginRound(): void {
    this.problems.clear();
  }

  /** Drops what is remembered of files no longer in the store. */
  retain(paths: ReadonlySet<string>): void {
    for (const p of this.cache.keys()) if (!paths.has(p)) this.cache.delete(p);
  }

  /**
   * The queries' values on the file's current version: remembered ones as they are, the rest
   * read in one open. Undefined when the file vanished or cannot be read (see `problems`).
   */
  async read(filePath: string, queries: readonly ReadQuery[]): Promise<FileRead | undefined> {
    let id: ReturnType<typeof identityOf>;
    try {
      id = identityOf(filePath);
    } catch (err) {
      this.problems.set(filePath, {
        file: filePath,
        state: "unreadable",
        message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      });
      return undefined;
    }
    if (!id) return this.vanished(filePath);
    let entry = this.cache.get(filePath);
    if (!entry || entry.identity !== id.identity) {
      entry = { ...id, values: new Map(), previous: entry?.values ?? new Map() };
      this.cache.set(filePath, entry);
    }
    const missing = queries.filter((q) => !entry.values.has(q.key));
    if (missing.length > 0) {
      const prev = entry.previous;
      this.opens++;
      this.recentOpens.push(filePath);
      if (this.recentOpens.length > RECENT_OPENS) this.recentOpens.shift();
      this.onOpen(filePath);
      const r = await readH5(filePath, (f) => missing.map((q) => q.fn(f, prev.get(q.key))));
      if (!r.value) {
        this.cache.delete(filePath);
        if (r.status.state === "missing" || !fs.existsSync(filePath)) return this.vanished(filePath);
        this.problems.set(filePath, r.status);
        return undefined;
      }
      const after = identityOf(filePath);
      const values = new Map(entry.values);
      missing.forEach((q, i) => values.set(q.key, r.value![i]));
      if (after?.identity === entry.identity) {
        // Same version before and after: remember it. Otherwise it was replaced while read
        // (what was read is a whole version, just not the one stat saw): use it, keep nothing.
        for (const q of missing) entry.values.set(q.key, values.get(q.key));
        while (entry.values.size > MAX_KEYS_PER_FILE) entry.values.delete(entry.values.keys().next().value!);
      } else {
        this.cache.delete(filePath);
        this.log.info("partition replaced while read: read again at the next change", { file: filePath });
      }
      return { values, identity: entry.identity, mtimeMs: entry.mtimeMs, bytes: entry.bytes };
    }
    return { values: entry.values, identity: entry.identity, mtimeMs: entry.mtimeMs, bytes: entry.bytes };
  }

  private vanished(filePath: string): undefined {
    this.cache.delete(filePath);
    this.log.warn("partition file vanished while the dashboard read it: skipped", { file: filePath });
    return undefined;
  }
}
