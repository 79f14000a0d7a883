/**
 * Replay of a JSON-lines file: each line is sent verbatim as one text frame
 * (lines need not be valid JSON: tests use that to inject malformed frames).
 *
 * Cursor semantics:
 * - default: every connection starts at the first line and gets the whole file;
 * - resume: one shared cursor, so a client that reconnects continues with the
 *   line after the last one the server sent. A line counts as sent once it is
 *   handed to the socket; cuts happen only between frames and a "flush" drop
 *   delivers everything already sent, so across a drop each line arrives
 *   exactly once. (Lines written just before the *client* vanishes are lost.)
 *   Concurrent connections in resume mode share the cursor, i.e. split the file.
 *
 * After the last line the connection idles (pings go on) and onEnd is called once.
 */

import { readFile } from "node:fs/promises";
import type { Connection } from "./connection.js";

/** Lines sent between yields to the event loop, so timers (pings, drops) keep running. */
const YIELD_EVERY = 256;

export async function loadReplayLines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  const lines = text.split("\n");
  // A final newline does not start another line; CRLF files lose the CR.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

export interface ReplayOptions {
  readonly lines: readonly string[];
  /** Lines per second per connection; 0 = as fast as the client reads. */
  readonly rate: number;
  readonly resume: boolean;
  readonly maxBufferedBytes: number;
  readonly onEnd?: () => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class Replay {
  /** The shared cursor (resume mode). */
  private sharedCursor = 0;
  private ended = false;
  /** Highest line count any connection has been sent (default mode). */
  private furthest = 0;

  constructor(private readonly o: ReplayOptions) {}

  get lineCount(): number {
    return this.o.lines.length;
  }

  /** Resume mode: lines sent so far overall; default mode: the furthest any connection got. */
  get cursor(): number {
    return this.o.resume ? this.sharedCursor : this.furthest;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** Streams the file to one connection until it ends or the connection goes. */
  async pump(conn: Connection): Promise<void> {
    const { lines, rate, resume, maxBufferedBytes } = this.o;
    let own = 0;
    const start = performance.now();
    let sentHere = 0;
    let sinceYield = 0;
    for (;;) {
      if (!conn.open) return;
      const index = resume ? this.sharedCursor : own;
      if (index >= lines.length) break;
      if (conn.bufferedAmount > maxBufferedBytes) {
        await sleep(1);
        continue;
      }
      if (rate > 0) {
        const dueAt = start + (sentHere * 1000) / rate;
        const wait = dueAt - performance.now();
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
      }
      // Check, take and send in one synchronous step, so a cut cannot fall in between.
      if (resume) this.sharedCursor += 1;
      else own += 1;
      conn.sendData(lines[index]!);
      sentHere += 1;
      if (!resume && own > this.furthest) this.furthest = own;
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
    this.markEnd();
  }

  private markEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.o.onEnd?.();
  }
}
