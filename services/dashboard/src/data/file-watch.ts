/**
 * Notices when a file changes. The processors replace their file by rename at every flush,
 * so the inode changes with each new version; polling stat (inode, size, mtime) sees that on
 * any filesystem, bind mounts included, where fs.watch may miss renames.
 */
import fs from "node:fs";

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

export class FileWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private busy = false;

  constructor(
    private readonly filePath: string,
    private readonly everyMs: number,
    /** Called once at start and after each change; the next check waits until it resolves. */
    private readonly onChange: (identity: string) => Promise<void> | void,
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
      const id = await fileIdentity(this.filePath);
      if (id === this.last) return;
      this.last = id;
      await this.onChange(id);
    } finally {
      this.busy = false;
    }
  }
}
