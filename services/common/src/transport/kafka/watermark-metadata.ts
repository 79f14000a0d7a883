/**
 * Per-key event-time watermarks packed into a commit's metadata string
 * (CommitPoint.metadata), so that whoever reads a partition next (another
 * replica after a rebalance, or this one after a restart) starts from the
 * watermarks the last owner had when it committed (Consumer.onAssign).
 *
 * Kafka keeps one metadata string per committed partition and refuses a
 * commit whose string is longer than the broker's `offset.metadata.max.bytes`
 * (4096 by default; kafkajs writes it with a 16-bit length). The encoding is
 * compact JSON, `{"cswm":1,"b":"<newest, base 36>","k":{"<key>":"<newest minus
 * this key's watermark, base 36>",...},"d":<keys left out>}`, kept within a
 * byte budget: when the keys do not fit, the newest watermarks are kept and
 * `d` counts the ones left out. Pure: no kafkajs, safe to import anywhere.
 */

/** Bytes given to the metadata by default: under Kafka's default limit of 4096 with room to spare. */
export const DEFAULT_WATERMARK_BUDGET = 3800;

const MARK = "cswm";
const VERSION = 1;

/** What a metadata string written by encodeWatermarks holds. */
export interface WatermarkMetadata {
  /** Key -> watermark (ms). */
  readonly watermarks: Map<string, number>;
  /** How many keys the writer had but left out to stay within its budget (those with the oldest watermarks). */
  readonly dropped: number;
}

const utf8 = (s: string): number => Buffer.byteLength(s, "utf8");

/**
 * Encodes key -> watermark (ms since the epoch) into at most `budget` UTF-8
 * bytes (Kafka's limit counts UTF-16 units, never more than the bytes).
 * Watermarks that are not finite numbers (-Infinity: nothing seen yet) carry
 * nothing and are left out; fractions are rounded down (a lower watermark
 * only lets more events in). When every key does not fit, the ones with the
 * newest watermarks are kept (ties by key) and the string records how many
 * were left out (WatermarkMetadata.dropped). Throws RangeError when the
 * budget cannot hold even an empty map.
 */
export function encodeWatermarks(
  watermarks: ReadonlyMap<string, number>,
  budget: number = DEFAULT_WATERMARK_BUDGET,
): string {
  const entries: Array<[string, number]> = [];
  for (const [key, w] of watermarks) if (Number.isFinite(w)) entries.push([key, Math.floor(w)]);
  // Newest first; ties by key so that the same map always gives the same string.
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const newest = entries.length > 0 ? entries[0]![1] : 0;
  const render = (n: number): string => {
    const k: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const [key, w] = entries[i]!;
      Object.defineProperty(k, key, { value: (newest - w).toString(36), enumerable: true, writable: true });
    }
    const dropped = entries.length - n;
    return JSON.stringify({ [MARK]: VERSION, b: newest.toString(36), k, ...(dropped > 0 ? { d: dropped } : {}) });
  };
  const all = render(entries.length);
  if (utf8(all) <= budget) return all;
  // Deltas from the newest watermark do not change with the number kept, so sizes add up: the
  // envelope (with the largest `"d":n`) plus `"key":"delta",` per entry.
  const envelope = utf8(render(0));
  if (envelope > budget) throw new RangeError(`watermark metadata budget ${budget} B cannot hold an empty map`);
  let size = envelope;
  let n = 0;
  while (n < entries.length) {
    const [key, w] = entries[n]!;
    const add = utf8(JSON.stringify(key)) + utf8((newest - w).toString(36)) + 4; // quotes, colon, comma
    if (size + add > budget) break;
    size += add;
    n += 1;
  }
  let out = render(n);
  while (utf8(out) > budget && n > 0) out = render(--n); // never taken when the arithmetic above holds
  return out;
}

const BASE36 = /^-?[0-9a-z]{1,11}$/;
const DELTA36 = /^[0-9a-z]{1,11}$/;

/**
 * Reads a string written by encodeWatermarks: the watermarks and how many keys
 * the writer left out. Undefined for anything else (null: nothing committed;
 * an empty string; metadata written by another tool; a damaged string).
 */
export function decodeWatermarkMetadata(metadata: string | null | undefined): WatermarkMetadata | undefined {
  if (!metadata || metadata[0] !== "{") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const o = parsed as Record<string, unknown>;
  if (o[MARK] !== VERSION || typeof o.b !== "string" || !BASE36.test(o.b)) return undefined;
  const newest = parseInt(o.b, 36);
  if (!Number.isSafeInteger(newest)) return undefined;
  const d = o.d ?? 0;
  if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) return undefined;
  if (typeof o.k !== "object" || o.k === null || Array.isArray(o.k)) return undefined;
  const watermarks = new Map<string, number>();
  for (const [key, delta] of Object.entries(o.k)) {
    if (typeof delta !== "string" || !DELTA36.test(delta)) return undefined;
    const w = newest - parseInt(delta, 36);
    if (!Number.isSafeInteger(w)) return undefined;
    watermarks.set(key, w);
  }
  return { watermarks, dropped: d };
}

/**
 * Key -> watermark (ms) from a string written by encodeWatermarks; an empty
 * map for anything else (see decodeWatermarkMetadata, which also tells
 * whether keys were left out).
 */
export function decodeWatermarks(metadata: string | null | undefined): Map<string, number> {
  return decodeWatermarkMetadata(metadata)?.watermarks ?? new Map();
}
