/**
 * The producer's place in the Jetstream, kept across restarts in a small
 * JSON file: the cursor (time_us up to which every frame is handled and
 * everything matching is published) and the posts published in the last
 * seconds before it (did/rkey with their time_us), which a restart's rewind
 * will see again. Written atomically (temporary file, fsync, rename, fsync of
 * the directory), so a crash leaves the old state or the new, never a mix.
 */
import { promises as fsp } from "node:fs";
import path from "node:path";

export interface CursorState {
  readonly cursorUs: number;
  readonly recent: ReadonlyArray<readonly [string, number]>;
}

export type LoadedCursor =
  | { readonly kind: "missing" }
  | { readonly kind: "loaded"; readonly state: CursorState }
  | { readonly kind: "invalid"; readonly reason: string };

const isPair = (v: unknown): v is [string, number] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isSafeInteger(v[1]);

/** Checks a parsed state file. Pure. */
export function parseCursorState(parsed: unknown): CursorState | string {
  const o = parsed as { cursorUs?: unknown; recent?: unknown } | null;
  if (typeof o !== "object" || o === null) return "not an object";
  if (typeof o.cursorUs !== "number" || !Number.isSafeInteger(o.cursorUs) || o.cursorUs <= 0)
    return "cursorUs is missing or not a positive integer";
  const recent = o.recent ?? [];
  if (!Array.isArray(recent) || !recent.every(isPair)) return "recent is not a list of [did/rkey, time_us]";
  return { cursorUs: o.cursorUs, recent };
}

export class CursorStore {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly filePath: string) {}

  async load(): Promise<LoadedCursor> {
    let text: string;
    try {
      text = await fsp.readFile(this.filePath, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
      return { kind: "invalid", reason: `cannot read: ${(err as Error).message}` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: "invalid", reason: "not valid JSON" };
    }
    const s = parseCursorState(parsed);
    return typeof s === "string" ? { kind: "invalid", reason: s } : { kind: "loaded", state: s };
  }

  /** Saves `state`; calls are applied in call order, a failed one does not block the next. */
  save(state: CursorState): Promise<void> {
    const run = this.chain.then(() => this.write(state));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(state: CursorState): Promise<void> {
    const dir = path.dirname(this.filePath);
    const tmp = `${this.filePath}.tmp-${process.pid}`;
    await fsp.mkdir(dir, { recursive: true });
    const body = JSON.stringify({ ...state, cursorIso: new Date(state.cursorUs / 1000).toISOString() }) + "\n";
    const fh = await fsp.open(tmp, "w");
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.filePath).catch(async (err: unknown) => {
      await fsp.unlink(tmp).catch(() => undefined);
      throw err;
    });
    // The rename is durable only once the directory entry is flushed; some file systems refuse that.
    const dh = await fsp.open(dir, "r");
    await dh.sync().catch(() => undefined);
    await dh.close();
  }
}
