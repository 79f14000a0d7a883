/**
 * Twitter-style snowflake ids: 41 bits of milliseconds since the Twitter epoch,
 * 10 bits of machine id, 12 bits of sequence. They are above 2^53 today (so a
 * consumer that parses them as JS numbers loses precision, as with the real API)
 * and increase with time, which is what since_id / until_id rely on.
 */

export const TWITTER_EPOCH_MS = 1288834974657n;

export function makeSnowflake(ms: number, machine: number, sequence: number): bigint {
  return (
    ((BigInt(Math.floor(ms)) - TWITTER_EPOCH_MS) << 22n) | (BigInt(machine & 0x3ff) << 12n) | BigInt(sequence & 0xfff)
  );
}

/** Milliseconds since the Unix epoch at which a snowflake was minted. */
export function snowflakeTime(id: bigint): number {
  return Number((id >> 22n) + TWITTER_EPOCH_MS);
}

/** Parses a decimal id string as the API accepts it; undefined if it is not one. */
export function parseId(raw: string): bigint | undefined {
  if (!/^[0-9]{1,19}$/.test(raw)) return undefined;
  const v = BigInt(raw);
  return v > 0n && v < 1n << 63n ? v : undefined;
}

/**
 * Mints strictly increasing ids: several tweets in one millisecond get
 * consecutive sequence numbers, and a clock that steps back never yields a
 * smaller id.
 */
export class SnowflakeMinter {
  private last = 0n;
  constructor(private readonly machine: number) {}

  mint(ms: number): bigint {
    let id = makeSnowflake(ms, this.machine, 0);
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id;
  }
}
