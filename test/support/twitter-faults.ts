/**
 * Faults under a processor's output file, for the faults-twitter end-to-end
 * specs: a small tmpfs as the output folder that can be filled (writes then
 * fail with ENOSPC) and freed, and the HDF5 file deleted or replaced by
 * garbage while the processor runs.
 *
 * File faults are applied while the writer is frozen (SIGSTOP) between two
 * flushes, so no copy of the file is in flight that could be renamed over
 * the fault a moment later; the bytes the file had are kept as evidence, so
 * the test can still account for every tweet written before the fault.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { storeDirOf } from "@cryptostream/common/store/layout";
import { sleep } from "./service-process.js";
import { setAsideCopies } from "./store.js";

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" });

/** An output folder whose writes can be made to fail and succeed again. */
export class OutputDir {
  private mounted = false;
  private readonly fillPath: string;
  private readonly unmountAtExit = () => this.close();

  /** How writes are made to fail: "tmpfs" (ENOSPC) or the fallback taken when mounting was refused. */
  readonly how: string;

  /** Mounts a tmpfs of `sizeMb` at `dir` (created if missing); falls back, loudly, when that is refused. */
  constructor(
    readonly dir: string,
    sizeMb = 8,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.fillPath = path.join(dir, "fill");
    const r = run("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
    if (r.status === 0) {
      this.mounted = true;
      this.how = "tmpfs";
      process.on("exit", this.unmountAtExit);
    } else {
      this.how = process.getuid?.() === 0 ? "chattr +i (immutable folder)" : "chmod 0555 (read-only folder)";
      console.log(
        `# mount -t tmpfs refused (${(r.stderr || r.error?.message || "").trim()}); falling back to ${this.how}`,
      );
    }
  }

  /** Makes writes in the folder fail; returns the bytes written to fill it (0 for the fallback). */
  fill(): number {
    if (this.mounted) return this.topUp();
    if (this.how.startsWith("chattr")) mustRun("chattr", ["+i", this.dir]);
    else fs.chmodSync(this.dir, 0o555);
    const probe = path.join(this.dir, "probe");
    try {
      fs.writeFileSync(probe, "x");
    } catch {
      return 0; // writes fail, as wanted
    }
    fs.rmSync(probe, { force: true });
    this.free();
    throw new Error(`${this.how} did not make writes in ${this.dir} fail: no way to fill the output folder here`);
  }

  /** tmpfs: writes until ENOSPC again (the writer may free what its failed copy held). Returns bytes written. */
  topUp(): number {
    if (!this.mounted) return 0;
    const fd = fs.openSync(this.fillPath, "a");
    let bytes = 0;
    try {
      for (const size of [1 << 16, 4096, 1]) {
        const buf = Buffer.alloc(size, 0);
        for (;;) {
          try {
            bytes += fs.writeSync(fd, buf);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "ENOSPC") break;
            throw err;
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return bytes;
  }

  /** Bytes free in the folder's filesystem. */
  freeBytes(): number {
    const s = fs.statfsSync(this.dir);
    return s.bavail * s.bsize;
  }

  /** Writes succeed again. */
  free(): void {
    if (this.mounted) fs.rmSync(this.fillPath, { force: true });
    else if (this.how.startsWith("chattr")) run("chattr", ["-i", this.dir]);
    else fs.chmodSync(this.dir, 0o755);
  }

  /** Frees the folder and unmounts it (what it held goes with it); safe to call twice. */
  close(): void {
    this.free();
    if (!this.mounted) return;
    if (run("umount", [this.dir]).status !== 0) mustRun("umount", ["-l", this.dir]);
    this.mounted = false;
    process.off("exit", this.unmountAtExit);
  }
}

function mustRun(cmd: string, args: string[]): void {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${(r.stderr || r.error?.message) ?? ""}`);
}

/** The pid of the process started with `NAME=value` in its environment (one per output file here). */
export function pidWithEnv(name: string, value: string): number {
  const want = `${name}=${value}`;
  const pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  const hits = pids.filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/environ`, "latin1").split("\0").includes(want);
    } catch {
      return false; // gone, or not ours
    }
  });
  if (hits.length !== 1) throw new Error(`${hits.length} processes have ${want} in their environment`);
  return Number(hits[0]);
}

/**
 * Files that a writer of `file` has in flight (its copy being written), not its marker or
 * set-asides: next to `file`, and, in a store folder, the copy of any partition file.
 */
function copiesInFlight(file: string): string[] {
  const base = path.basename(file) + ".";
  const near = fs
    .readdirSync(path.dirname(file))
    .filter((n) => n.startsWith(base) && n !== `${base}running` && !n.startsWith(`${base}damaged-`));
  const dir = storeDirOf(file);
  const inStore =
    dir !== file && fs.existsSync(dir) && fs.statSync(dir).isDirectory()
      ? fs.readdirSync(dir).filter((n) => /\.h5\./.test(n) && !/\.h5\.(running$|damaged-|old-schema-)/.test(n))
      : [];
  return [...near, ...inStore];
}

function allStopped(pid: number): boolean {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .every((t) => /^\d+ \(.*\) [tT] /.test(fs.readFileSync(`/proc/${pid}/task/${t}/stat`, "latin1")));
}

/**
 * Runs `fault` while the writer `pid` is stopped between two flushes (no copy
 * of `file` in flight), then lets it go on. Returns how many tries it took.
 */
export async function betweenFlushes(pid: number, file: string, fault: () => void): Promise<number> {
  for (let tries = 1; tries <= 100; tries++) {
    process.kill(pid, "SIGSTOP");
    try {
      const deadline = Date.now() + 2_000;
      while (!allStopped(pid)) {
        if (Date.now() > deadline) throw new Error(`process ${pid} did not stop`);
        await sleep(1);
      }
      if (copiesInFlight(file).length === 0) {
        fault();
        return tries;
      }
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await sleep(10 + Math.random() * 40);
  }
  throw new Error(`the writer of ${file} had a copy in flight at each of 100 tries`);
}

/** Deletes `file` (gone from its path at once), keeping its bytes at `evidence`. */
export function deleteKeeping(file: string, evidence: string): () => void {
  return () => fs.renameSync(file, evidence);
}

/** Replaces `file` (if there is one) by `garbage`, keeping its bytes at `evidence`. */
export function garbageKeeping(file: string, evidence: string, garbage: Buffer): () => void {
  return () => {
    if (fs.existsSync(file)) fs.renameSync(file, evidence);
    fs.writeFileSync(file, garbage);
  };
}

/** Bytes that are not HDF5 (a line of text, then random bytes), a few pages of them. */
export function garbageBytes(n = 12_345): Buffer {
  return Buffer.concat([Buffer.from("this is not an HDF5 file\n"), randomBytes(n)]);
}

/**
 * The `<file>.damaged-<YYYYMMDDTHHMMSSZ>` copies a writer set aside, as paths, for the configured
 * path `file`: next to it (the single-file layout) and next to the partition files of its store folder.
 */
export function damagedCopies(file: string): string[] {
  return setAsideCopies(file, "damaged");
}

export const DAMAGED_NAME = /\.damaged-\d{8}T\d{6}Z$/;
