import { rngFor } from "../prng.js";
import { HANDLE_STEMS, NAME_WORDS } from "./pools.js";

export interface Author {
  readonly id: string;
  readonly username: string;
  readonly name: string;
}

export const AUTHOR_POOL_SIZE = 400;
const AUTHOR_STREAM = 1;

/**
 * Author `index` of the pool for a seed. Old accounts have short numeric ids,
 * accounts created after 2013 have 18-19 digit snowflake ids, like real users.
 */
export function authorFor(seedHash: number, index: number): Author {
  const rng = rngFor(seedHash, AUTHOR_STREAM, index);
  const stem = HANDLE_STEMS[index % HANDLE_STEMS.length] ?? "anon";
  const round = Math.floor(index / HANDLE_STEMS.length);
  // The first round keeps the bare stem; later rounds add digits so handles stay unique.
  const username = round === 0 ? stem : `${stem}${round}${rng.int(90) + 10}`.slice(0, 15);
  const name = `${rng.pick(NAME_WORDS)} ${rng.pick(NAME_WORDS)}`;
  let id: string;
  if (rng.chance(0.3)) {
    id = String(10_000_000 + rng.int(3_000_000_000));
  } else {
    // 2^60-ish range: ids of accounts created roughly 2014-2023.
    const high = BigInt(300_000_000 + rng.int(1_400_000_000));
    id = (high * 1_000_000_000n + BigInt(rng.int(1_000_000_000))).toString();
  }
  return { id, username, name };
}

/** Builds the whole pool once per seed (it is small). */
export function authorPool(seedHash: number): Author[] {
  return Array.from({ length: AUTHOR_POOL_SIZE }, (_, i) => authorFor(seedHash, i));
}
