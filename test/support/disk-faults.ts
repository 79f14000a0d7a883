/**
 * Disk faults for end-to-end tests: a small folder whose writes can be made
 * to fail and succeed again (a tmpfs that is filled up and freed), and an
 * output file deleted or replaced by garbage under a running process.
 *
 * Filling needs `mount -t tmpfs` (root with CAP_SYS_ADMIN). Where mounting is
 * refused, the folder is an ordinary one and writes are made to fail another
 * real way, announced on the test output as a `# disk-faults:` line:
 * `chattr +i` on the folder when root (EPERM on creating or renaming files in
 * it), else `chmod 0555` (EACCES). When neither makes a probe write fail,
 * `smallDisk` throws: a fault test never passes without its fault.
 * DISK_FAULTS_NO_MOUNT=1 skips the mount, to try the fallback.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRng } from "@cryptostream/binance-simulator/rng";
import { isHdf5, setAsideCopies } from "./store.js";

export type WriteFault = "tmpfs-full" | "immutable-folder" | "read-only-folder";

export interface SmallDisk {
  readonly dir: string;
  /** How `fill` makes writes fail. */
  readonly fault: WriteFault;
  /** Makes every new write in `dir` fail, and keeps it so until `free`. */
  fill(): Promise<void>;
  /** Lets writes succeed again. */
  free(): Promise<void>;
  /** Frees, unmounts and removes the folder; safe to call twice. */
  dispose(): Promise<void>;
}

const say = (line: string) => console.log(`# disk-faults: ${line}`);

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
}

function errorText(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(err)).trim().split("\n")[0] ?? "";
}

/** True when creating a file in `dir` fails now. */
function writesFail(dir: string): boolean {
  const probe = path.join(dir, `.probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, "x".repeat(8192));
  } catch {
    return true;
  }
  fs.rmSync(probe, { force: true });
  return false;
}

/**
 * Writes filler files into a full-size-limited folder until the filesystem
 * says ENOSPC, down to single bytes (tmpfs counts whole pages). Returns the
 * bytes written; other errors are thrown.
 */
function fillUp(dir: string, seq: { n: number }): number {
  let written = 0;
  for (const chunk of [1 << 16, 4096, 1]) {
    const file = path.join(dir, `filler-${seq.n++}`);
    const fd = fs.openSync(file, "w");
    const buf = Buffer.alloc(chunk);
    try {
      for (;;) written += fs.writeSync(fd, buf);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
    } finally {
      fs.closeSync(fd);
    }
  }
  return written;
}

async function tmpfsDisk(dir: string, sizeMb: number): Promise<SmallDisk> {
  run("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
  const seq = { n: 0 };
  let topUp: NodeJS.Timeout | undefined;
  let mounted = true;
  const free = async () => {
    if (topUp) clearInterval(topUp);
    topUp = undefined;
    for (const name of fs.readdirSync(dir)) if (name.startsWith("filler-")) fs.rmSync(path.join(dir, name));
  };
  return {
    dir,
    fault: "tmpfs-full",
    async fill() {
      const bytes = fillUp(dir, seq);
      if (!writesFail(dir)) throw new Error(`filled ${dir} with ${bytes} bytes, yet a probe write succeeds`);
      // A writer that gives up frees the pages its partial copy took: take them back at once.
      topUp = setInterval(() => {
        try {
          fillUp(dir, seq);
        } catch (err) {
          say(`topping up ${dir} failed: ${errorText(err)}`);
        }
      }, 50);
    },
    free,
    async dispose() {
      await free();
      if (!mounted) return;
      try {
        run("umount", [dir]);
      } catch (err) {
        say(`umount ${dir} failed (${errorText(err)}); detaching it lazily`);
        run("umount", ["-l", dir]);
      }
      mounted = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** chattr +i (root) or chmod 0555 (others) on an ordinary folder. */
function lockedFolderDisk(dir: string): SmallDisk {
  const root = process.getuid?.() === 0;
  const fault: WriteFault = root ? "immutable-folder" : "read-only-folder";
  const lock = () => (root ? run("chattr", ["+i", dir]) : fs.chmodSync(dir, 0o555));
  const unlock = () => (root ? run("chattr", ["-i", dir]) : fs.chmodSync(dir, 0o755));
  try {
    lock();
    if (!writesFail(dir)) throw new Error("a probe write still succeeds");
  } catch (err) {
    try {
      unlock();
    } catch {
      // never locked
    }
    throw new Error(
      `cannot make writes in ${dir} fail: tmpfs mount refused and ${root ? "chattr +i" : "chmod 0555"} did not work (${errorText(err)})`,
    );
  }
  unlock();
  let disposed = false;
  return {
    dir,
    fault,
    fill: async () => lock(),
    free: async () => unlock(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      unlock();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh folder of `sizeMb` whose writes `fill` makes fail; see the module comment. */
export async function smallDisk(sizeMb = 8): Promise<SmallDisk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "small-disk-"));
  if (process.env.DISK_FAULTS_NO_MOUNT !== "1") {
    try {
      return await tmpfsDisk(dir, sizeMb);
    } catch (err) {
      say(`mount -t tmpfs refused (${errorText(err)})`);
    }
  } else {
    say("DISK_FAULTS_NO_MOUNT=1: not mounting a tmpfs");
  }
  const disk = lockedFolderDisk(dir);
  say(`FELL BACK: writes in ${dir} fail by ${disk.fault} instead of a full disk`);
  return disk;
}

/**
 * Replaces `file` by `size` bytes of seeded garbage (never HDF5: it starts
 * with a text line), atomically (written aside, renamed over). Returns them.
 */
export function replaceWithGarbage(file: string, size = 4096, seed = 1): Buffer {
  const rng = createRng(seed);
  const garbage = Buffer.alloc(size);
  garbage.write("this is not an HDF5 file\n");
  for (let i = 25; i < size; i++) garbage[i] = rng.int(0, 255);
  const aside = `${file}.garbage-${process.pid}`;
  fs.writeFileSync(aside, garbage);
  fs.renameSync(aside, file);
  return garbage;
}

/** Deletes `file` (it must exist: a fault that did not happen is an error). */
export function deleteFile(file: string): void {
  fs.unlinkSync(file);
}

/**
 * Files set aside as `<file>.damaged-<YYYYMMDDTHHMMSSZ>`, sorted, for the configured path `file`:
 * next to it (the single-file layout) and next to the partition files in its store folder.
 */
export function damagedCopies(file: string): string[] {
  return setAsideCopies(file, "damaged");
}

export { isHdf5 };
