/**
 * `<file>.running` exists while a processor writes `<file>` and is removed by
 * a graceful stop. Found at start, it says the previous run ended without
 * one (kill -9, power loss): on a transport that keeps no log, the windows it
 * had open lost their events for good, and the rows that continue them must
 * say so (complete = 0).
 */
import fs from "node:fs";

export class RunMarker {
  readonly path: string;

  constructor(filePath: string) {
    this.path = `${filePath}.running`;
  }

  /** Creates the marker; returns true when one was already there (the previous run did not stop cleanly). */
  begin(): boolean {
    const crashed = fs.existsSync(this.path);
    try {
      fs.writeFileSync(this.path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }) + "\n");
    } catch {
      // A full disk at start: the next start then cannot tell; the rows are still written.
    }
    return crashed;
  }

  end(): void {
    fs.rmSync(this.path, { force: true });
  }
}
