/**
 * Where a processor's output is, for the specs, in both layouts: the earlier single file at the
 * configured path `x.h5`, and the store folder `x` of partition files (`<period>.h5`,
 * `<period>.<replica>.h5`, `before-partitions.h5`; services/common/src/store/layout.ts). Until
 * every processor writes the folder, each helper accepts either.
 */
import fs from "node:fs";
import path from "node:path";
import { listStore, resolveStoreFiles, storeDirOf } from "@cryptostream/common/store/layout";

/**
 * The HDF5 files a reader reads for a configured path (the file itself, the folder's files), oldest
 * first; for one replica's store, `replicaStore(configured, id)`, that replica's files.
 */
export function storeFiles(configured: string): string[] {
  const hash = configured.lastIndexOf("#");
  if (hash >= 0 && !fs.existsSync(configured))
    return replicaFiles(configured.slice(0, hash), configured.slice(hash + 1));
  return resolveStoreFiles(configured);
}

/**
 * The store of one replica (REPLICA_ID) of a consumer group configured with `configured`, as the
 * readers take it (`x.h5#<replica>`; test/support/store_files.py): its files are read as one
 * store, since a replica's rows of one window may be in several of them (a row of a sealed
 * period goes to an open partition).
 */
export function replicaStore(configured: string, replicaId: string): string {
  return `${configured}#${replicaId}`;
}

/** True when the processor configured with `configured` has written anything (either layout). */
export function storeExists(configured: string): boolean {
  return storeFiles(configured).length > 0;
}

/** True when every file of the store is HDF5, and there is at least one. */
export function storeIsHdf5(configured: string): boolean {
  const files = storeFiles(configured);
  return files.length > 0 && files.every(isHdf5);
}

/** Bytes of every file of the store together. */
export function storeSize(configured: string): number {
  return storeFiles(configured).reduce((n, f) => n + fs.statSync(f).size, 0);
}

function mtimeMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/**
 * The file a processor configured with `configured` writes now: once the store folder has
 * partition files, the newest one (latest period; within a period the last written), else the
 * configured path itself (the single file of the earlier layout).
 */
export function activePartition(configured: string): string {
  const dir = storeDirOf(configured);
  const files = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? listStore(dir) : [];
  if (files.length === 0) return configured;
  const newest = files[files.length - 1]!.period?.start;
  const last = files.filter((f) => f.period?.start === newest).map((f) => f.path);
  return last.reduce((a, b) => (mtimeMs(b) > mtimeMs(a) ? b : a));
}

/**
 * The files of one replica (REPLICA_ID) of a consumer group configured with `configured`: the
 * earlier layout's `<stem>-<id>.h5`, and the folder's `<period>.<id>.h5` files.
 */
export function replicaFiles(configured: string, replicaId: string): string[] {
  const dir = storeDirOf(configured);
  const old = `${dir}-${replicaId.replace(/[^A-Za-z0-9._-]/g, "_")}.h5`;
  const isDir = fs.existsSync(dir) && fs.statSync(dir).isDirectory();
  return [...(fs.existsSync(old) ? [old] : []), ...(isDir ? listStore(dir, replicaId).map((f) => f.path) : [])];
}

/** Files of the store that no replica owns: the single file at the configured path, the folder's unsuffixed partitions. */
export function unsuffixedFiles(configured: string): string[] {
  const dir = storeDirOf(configured);
  const isDir = fs.existsSync(dir) && fs.statSync(dir).isDirectory();
  const single = fs.existsSync(configured) && fs.statSync(configured).isFile() ? [configured] : [];
  return [...single, ...(isDir ? listStore(dir, "").map((f) => f.path) : [])];
}

/**
 * Files set aside as `<file>.<kind>-<time>` (kind "damaged" or "old-schema"), sorted: next to
 * the configured file (`x.h5.damaged-*`, the earlier layout) and next to the partition files in
 * the store folder (`x/<period>.h5.damaged-*`).
 */
export function setAsideCopies(configured: string, kind: "damaged" | "old-schema"): string[] {
  const out: string[] = [];
  const near = path.dirname(configured);
  const prefix = `${path.basename(configured)}.${kind}-`;
  if (fs.existsSync(near)) for (const n of fs.readdirSync(near)) if (n.startsWith(prefix)) out.push(path.join(near, n));
  const dir = storeDirOf(configured);
  if (dir !== configured && fs.existsSync(dir) && fs.statSync(dir).isDirectory())
    for (const n of fs.readdirSync(dir)) if (n.includes(`.h5.${kind}-`)) out.push(path.join(dir, n));
  return out.sort();
}

/** Whether a run marker (`<file>.running`) is present for the store, in either layout. */
export function runMarkerExists(configured: string): boolean {
  if (fs.existsSync(`${configured}.running`)) return true;
  const dir = storeDirOf(configured);
  if (dir === configured) return false;
  if (fs.existsSync(`${dir}.running`)) return true;
  return (
    fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((n) => n.endsWith(".running"))
  );
}

/**
 * Copies what the store holds now (the file, the folder's store files) to `dest` (a configured
 * path of the same form: `dest.h5` and the folder `dest`), so readers given `dest` read the copy.
 * Returns the number of files copied.
 */
export function copyStore(configured: string, dest: string): number {
  let n = 0;
  if (fs.existsSync(configured) && fs.statSync(configured).isFile()) {
    fs.copyFileSync(configured, dest);
    n++;
  }
  const dir = storeDirOf(configured);
  if (dir !== configured && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    const to = storeDirOf(dest);
    fs.mkdirSync(to, { recursive: true });
    for (const f of listStore(dir)) {
      fs.copyFileSync(f.path, path.join(to, path.basename(f.path)));
      n++;
    }
  }
  return n;
}

/** True when `file` starts with the HDF5 signature (at offset 0; user blocks are not used here). */
export function isHdf5(file: string): boolean {
  const sig = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  try {
    const fd = fs.openSync(file, "r");
    const head = Buffer.alloc(8);
    fs.readSync(fd, head, 0, 8, 0);
    fs.closeSync(fd);
    return head.equals(sig);
  } catch {
    return false;
  }
}
