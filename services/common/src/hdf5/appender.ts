import fs from "node:fs";
import path from "node:path";
import { loadH5, type H5Dataset, type H5File } from "./h5.js";
import { type MemberLayout, writePackedRows } from "./packed-rows.js";
import { type ColumnData, type TableSpec, h5Dtype, rowBytes, rowCount } from "./table-schema.js";

/** The file holds a table whose columns differ from what this version writes. */
export class SchemaMismatchError extends Error {
  constructor(
    readonly tablePath: string,
    found: readonly string[],
    expected: readonly string[],
  ) {
    super(`${tablePath} has columns [${found.join(", ")}], this version writes [${expected.join(", ")}]`);
    this.name = "SchemaMismatchError";
  }
}

/** The first 8 bytes of every HDF5 file whose superblock is at offset 0 (all files h5wasm creates). */
const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface TableWrite {
  readonly spec: TableSpec;
  readonly data: ColumnData;
}

/**
 * Appends rows to tables in one HDF5 file, crash-safely.
 *
 * HDF5 has no journal: a process killed in the middle of a write can leave
 * the file's metadata unreadable. So every flush works on a copy
 * (`<file>.tmp-<pid>`, a reflink where the filesystem supports it), closes
 * it, fsyncs it and renames it over the original. At any instant the file
 * at `filePath` is a complete, closed HDF5 file, and a reader that opened
 * the previous version keeps a consistent view. The cost is one file copy
 * per flush, which is why processors flush per batch of closed windows,
 * not per event.
 *
 * Each table's h5wasm metadata is read once per process and then kept, with
 * its row count, between flushes: reading it costs about a third of an
 * append (h5wasm builds it anew as JavaScript objects on every call, garbage
 * that a long flush promotes to the old generation). This is sound because
 * this appender is the file's only writer; it forgets everything whenever a
 * flush fails or the file is started anew.
 */
export class H5Appender {
  readonly filePath: string;
  /**
   * Whether the copy and the fsyncs run on libuv's thread pool, letting the event loop take input
   * meanwhile (default), or block it. A processor on a log transport blocks: a Kafka consumer
   * that handles its group's heartbeats in the middle of a write learns of a rebalance before the
   * write's commit goes out, and the partition's next owner then reads the written messages again.
   */
  yieldDuringWrites = true;
  private readonly tmpPath: string;
  private readonly known = new Map<string, DatasetMeta>();

  constructor(filePath: string) {
    this.filePath = path.resolve(filePath);
    this.tmpPath = `${this.filePath}.tmp-${process.pid}`;
  }

  /** Creates the folder and removes copies left behind by a crashed writer. */
  prepare(): void {
    const dir = path.dirname(this.filePath);
    fs.mkdirSync(dir, { recursive: true });
    const prefix = `${path.basename(this.filePath)}.tmp-`;
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  exists(): boolean {
    return fs.existsSync(this.filePath);
  }

  /**
   * Whether the file at filePath can be read as HDF5 (true when there is
   * none). A failed append leaves the original untouched, so a file that is
   * unreadable here was damaged or replaced by someone else.
   */
  async readable(): Promise<boolean> {
    let fd: number;
    try {
      fd = fs.openSync(this.filePath, "r");
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ENOENT";
    }
    const head = Buffer.alloc(HDF5_SIGNATURE.length);
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!head.equals(HDF5_SIGNATURE)) return false;
    const h5 = await loadH5();
    try {
      new h5.File(this.filePath, "r").close();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Renames the file to `<file>.<why>-<UTC time>` (never overwritten, never
   * deleted) so that the next append starts a new one. Returns the new name.
   */
  setAside(why: string, now = new Date()): string {
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    let target = `${this.filePath}.${why}-${stamp}`;
    for (let i = 1; fs.existsSync(target); i++) target = `${this.filePath}.${why}-${stamp}-${i}`;
    fs.renameSync(this.filePath, target);
    this.known.clear();
    return target;
  }

  /**
   * Appends the rows of every write in one copy+rename transaction.
   * `inTransaction`, when given, runs on the open copy before the rows are
   * appended (and only when there are rows): what it writes (e.g. a byte heap
   * the rows point into) becomes visible atomically with the rows, and it may
   * still fill in values of the rows' own column arrays.
   */
  async append(writes: readonly TableWrite[], inTransaction?: (file: H5File) => void): Promise<void> {
    const pending = writes.filter((w) => rowCount(w.data) > 0);
    if (pending.length === 0) return;
    await this.transaction(
      (file) => {
        inTransaction?.(file);
        for (const w of pending) appendRows(file, w.spec, w.data, this.known);
      },
      // The new rows, and each table's last chunk written anew (uncompressed: an upper bound).
      pending.reduce((n, w) => n + (rowCount(w.data) + w.spec.chunkRows) * rowBytes(w.spec), 0),
    );
  }

  /** Sets attributes on the file's root group in one copy+rename transaction (the file must exist). */
  async setRootAttributes(attrs: Readonly<Record<string, string | number>>): Promise<void> {
    if (!this.exists()) throw new Error(`${this.filePath}: no such file`);
    await this.transaction((file) => {
      for (const [k, v] of Object.entries(attrs)) {
        if (file.attrs[k] !== undefined) file.delete_attribute(k);
        file.create_attribute(k, v);
      }
    }, 0);
  }

  /**
   * Copies the file (or starts a new one), runs `change` on the open copy, closes and fsyncs
   * it, renames it over the file and fsyncs the folder. On any failure the copy is removed and
   * the file is untouched.
   */
  private async transaction(change: (file: H5File) => void, extraBytes: number): Promise<void> {
    const h5 = await loadH5();
    const existed = this.exists();
    ensureRoom(path.dirname(this.filePath), existed ? fs.statSync(this.filePath).size + extraBytes : extraBytes);
    if (existed) {
      if (this.yieldDuringWrites)
        await fs.promises.copyFile(this.filePath, this.tmpPath, fs.constants.COPYFILE_FICLONE);
      else fs.copyFileSync(this.filePath, this.tmpPath, fs.constants.COPYFILE_FICLONE);
    } else {
      this.known.clear();
      // Someone may have removed the folder with the file.
      fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    }
    let file: H5File | undefined;
    try {
      file = new h5.File(this.tmpPath, existed ? "a" : "w");
      change(file);
      file.close();
      file = undefined;
      await fsyncPath(this.tmpPath, this.yieldDuringWrites);
      fs.renameSync(this.tmpPath, this.filePath);
      await fsyncPath(path.dirname(this.filePath), this.yieldDuringWrites);
    } catch (err) {
      this.known.clear();
      try {
        file?.close();
      } catch {
        // The write already failed; the original file is untouched.
      }
      fs.rmSync(this.tmpPath, { force: true });
      throw err;
    }
  }
}

async function fsyncPath(p: string, yieldMeanwhile: boolean): Promise<void> {
  if (!yieldMeanwhile) {
    const fd = fs.openSync(p, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const fh = await fs.promises.open(p, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Room a write needs beyond the copy, the rows and the rewritten chunks: HDF5's metadata. */
const WRITE_MARGIN_BYTES = 1024 * 1024;

/**
 * Fails with ENOSPC when the disk cannot hold the copy and the new rows. HDF5 reports a failed
 * write on stderr only: h5wasm's calls and close still return success, and a copy written on a
 * nearly full disk would hold zeros where the rows should be. So the room is checked first.
 */
function ensureRoom(dir: string, bytes: number): void {
  let free: number;
  try {
    const s = fs.statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // the folder is missing: the write creates it or fails on its own
  }
  const need = bytes + WRITE_MARGIN_BYTES;
  if (free < need)
    throw Object.assign(
      new Error(`ENOSPC: no space left on device: the write needs ${need} bytes, ${free} are free in ${dir}`),
      { code: "ENOSPC" },
    );
}

function ensureGroups(file: H5File, datasetPath: string): void {
  const parts = datasetPath.split("/").filter((p) => p.length > 0);
  let current = "";
  for (const part of parts.slice(0, -1)) {
    current += "/" + part;
    if (file.get(current) === null) file.create_group(current);
  }
}

/** h5wasm's metadata of a dataset (what Dataset.metadata returns), as far as appends use it. */
interface DatasetMeta {
  shape: number[] | null;
  total_size: number;
  /** Bytes per row. */
  size: number;
  compound_type?: { members: MemberLayout[] };
  [other: string]: unknown;
}

/** h5wasm's Dataset keeps its metadata in (private) `_metadata` until a resize clears it. */
type MetaSlot = { _metadata?: DatasetMeta };

function appendRows(file: H5File, spec: TableSpec, data: ColumnData, known: Map<string, DatasetMeta>): void {
  const n = rowCount(data);
  const columns = new Map(spec.columns.map((c) => [c.name, data.get(c.name)]));
  for (const [name, col] of columns) {
    if (col === undefined) throw new Error(`${spec.path}: no values for column ${name}`);
  }
  let existing = file.get(spec.path) as H5Dataset | null;
  let meta = known.get(spec.path);
  if (existing === null) {
    // Created empty, then appended to like any existing table.
    ensureGroups(file, spec.path);
    existing = file.create_dataset({
      name: spec.path,
      data: new Map(spec.columns.map((c) => [c.name, []])),
      shape: [0],
      maxshape: [null],
      chunks: [spec.chunkRows],
      dtype: h5Dtype(spec.columns),
      compression: "gzip",
      compression_opts: spec.gzip,
    }) as H5Dataset;
    for (const [k, v] of Object.entries(spec.attrs)) existing.create_attribute(k, v);
    meta = existing.metadata as unknown as DatasetMeta;
  }
  if (!meta) {
    meta = existing.metadata as unknown as DatasetMeta;
    const found = (existing.dtype as Array<[string, string]>).map(([name]) => name);
    const expected = spec.columns.map((c) => c.name);
    if (found.join("\u0000") !== expected.join("\u0000")) throw new SchemaMismatchError(spec.path, found, expected);
  }
  const start = meta.shape?.[0] ?? 0;
  existing.resize([start + n]);
  // What h5wasm would read back after the resize: the same metadata, n rows longer.
  const grown: DatasetMeta = { ...meta, shape: [start + n], total_size: start + n };
  (existing as unknown as MetaSlot)._metadata = grown;
  const members = meta.compound_type?.members;
  if (!members || !writePackedRows(file, existing, meta.size, members, columns, start, n))
    existing.write_slice([[start, start + n]], columns as Map<string, unknown[]>);
  known.set(spec.path, grown);
}
