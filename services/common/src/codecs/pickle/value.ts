/**
 * The values this codec carries: JSON's model plus the Python extras that survive a trip through
 * pickle without any class lookup.
 *
 *   JS                         Python
 *   null                       None
 *   boolean                    bool
 *   number, safe integer       int           (a JS integer number always encodes as int)
 *   number, anything else      float         (fractions, NaN, ±Infinity, -0, integers beyond 2^53)
 *   bigint                     int           (decoded back as bigint only outside the safe range)
 *   string                     str
 *   Uint8Array / Buffer        bytes         (decoded as Buffer, a copy of the input bytes)
 *   array                      list          (tuples decode to arrays as well)
 *   plain object               dict with str keys, in JS key order
 */
export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleDict;

export interface PickleDict {
  [key: string]: PickleValue;
}

/** Lists, tuples and dicts; the only values that contain other values. */
export function isContainer(value: unknown): value is PickleValue[] | PickleDict {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array);
}

export function isDict(value: unknown): value is PickleDict {
  return isContainer(value) && !Array.isArray(value);
}
