/**
 * Free space on the store's disk, the store's size and how fast it grows,
 * and whether the disk fills soon: degraded when free space is below what
 * the current growth fills in a day, or below a floor (1 GB by default).
 * Growth is measured over the last hour of samples (at least 5 minutes of
 * them; unknown before). Sampling is cheap (statfs and a stat per file) and
 * spaced at least `everyMs` apart.
 */
import fs from "node:fs";

export interface DiskStatus {
  readonly state: "ok" | "degraded";
  readonly reason?: string;
  readonly freeBytes: number;
  readonly storeBytes: number;
  /** null until 5 minutes of samples exist. */
  readonly growthBytesPerDay: number | null;
}

const DAY_MS = 86_400_000;
const WINDOW_MS = 3_600_000;
const MIN_SPAN_MS = 300_000;

export class DiskWatch {
  private readonly samples: Array<{ at: number; bytes: number }> = [];
  private last: DiskStatus | undefined;
  private lastAt = -Infinity;

  constructor(
    private readonly dir: string,
    private readonly files: () => ReadonlyArray<{ path: string }>,
    private readonly o: { now: () => number; minFreeBytes: number; everyMs?: number },
  ) {}

  sample(): DiskStatus {
    const now = this.o.now();
    if (this.last && now - this.lastAt < (this.o.everyMs ?? 5_000)) return this.last;
    this.lastAt = now;
    let storeBytes = 0;
    for (const f of this.files()) {
      try {
        storeBytes += fs.statSync(f.path).size;
      } catch {
        // removed meanwhile
      }
    }
    let freeBytes = Number.NaN;
    try {
      const s = fs.statfsSync(this.dir);
      freeBytes = s.bavail * s.bsize;
    } catch {
      // folder gone: unknown
    }
    this.samples.push({ at: now, bytes: storeBytes });
    while (this.samples.length > 2 && now - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
    this.last = assess(freeBytes, storeBytes, growthPerDay(this.samples), this.o.minFreeBytes);
    return this.last;
  }
}

function growthPerDay(samples: ReadonlyArray<{ at: number; bytes: number }>): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at - first.at < MIN_SPAN_MS) return null;
  // Retention shrinks the store now and then: growth is never negative here.
  return Math.max(0, ((last.bytes - first.bytes) / (last.at - first.at)) * DAY_MS);
}

/** Pure: the verdict for one sample. */
export function assess(
  freeBytes: number,
  storeBytes: number,
  growthBytesPerDay: number | null,
  minFreeBytes: number,
): DiskStatus {
  const base = { freeBytes, storeBytes, growthBytesPerDay };
  if (!Number.isFinite(freeBytes)) return { state: "ok", ...base };
  if (freeBytes < minFreeBytes)
    return { state: "degraded", reason: `${gb(freeBytes)} free, below ${gb(minFreeBytes)}`, ...base };
  if (growthBytesPerDay !== null && growthBytesPerDay > 0 && freeBytes < growthBytesPerDay) {
    const hours = (freeBytes / growthBytesPerDay) * 24;
    return {
      state: "degraded",
      reason: `${gb(freeBytes)} free fills in ${hours.toFixed(1)} h at the current growth (${gb(growthBytesPerDay)}/day)`,
      ...base,
    };
  }
  return { state: "ok", ...base };
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
