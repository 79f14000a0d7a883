/**
 * A small seeded pseudo-random generator (mulberry32). Deterministic for a
 * seed, fast enough to draw millions of numbers a second, and not for crypto.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Standard normal draw. */
  normal(): number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box-Muller yields two normals per draw; the second is kept for the next call.
  let spare = 0;
  let hasSpare = false;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      // 1 - next() keeps the log argument in (0, 1].
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      hasSpare = true;
      return r * Math.cos(theta);
    },
  };
}

/** A seed from the clock, for runs that do not ask for determinism. */
export function clockSeed(): number {
  return (Date.now() ^ (process.hrtime()[1] << 3)) >>> 0;
}
