/**
 * Mergeable partial aggregate of one window of one symbol: enough to finish
 * any op (first, last, mean, sum, min, max, count) exactly, without keeping
 * the events. Field values sit in typed arrays indexed like spec.fields.
 *
 * "first" is the value at the smallest event time, "last" at the largest;
 * on equal times the earlier arrival wins for first and the later for last.
 */

import { needsSum, type StreamSpec, valueColumns } from "./spec.js";

export interface Partial {
  count: number;
  timeFirst: number;
  timeLast: number;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

export function emptyPartial(nFields: number): Partial {
  return {
    count: 0,
    timeFirst: Infinity,
    timeLast: -Infinity,
    first: new Float64Array(nFields),
    last: new Float64Array(nFields),
    sum: new Float64Array(nFields),
    min: new Float64Array(nFields).fill(Infinity),
    max: new Float64Array(nFields).fill(-Infinity),
  };
}

/** Adds one event (its values in spec field order) to a partial. */
export function addEvent(p: Partial, t: number, values: ArrayLike<number>): void {
  const n = p.sum.length;
  if (t < p.timeFirst) {
    p.timeFirst = t;
    for (let i = 0; i < n; i++) p.first[i] = values[i]!;
  }
  if (t >= p.timeLast) {
    p.timeLast = t;
    for (let i = 0; i < n; i++) p.last[i] = values[i]!;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    p.sum[i]! += v;
    if (v < p.min[i]!) p.min[i] = v;
    if (v > p.max[i]!) p.max[i] = v;
  }
  p.count++;
}

/** Merges `later` (events that arrived after those of `into`) into `into`. */
export function mergePartial(into: Partial, later: Partial): void {
  if (later.count === 0) return;
  const n = into.sum.length;
  if (later.timeFirst < into.timeFirst) {
    into.timeFirst = later.timeFirst;
    into.first.set(later.first);
  }
  if (later.timeLast >= into.timeLast) {
    into.timeLast = later.timeLast;
    into.last.set(later.last);
  }
  for (let i = 0; i < n; i++) {
    into.sum[i]! += later.sum[i]!;
    if (later.min[i]! < into.min[i]!) into.min[i] = later.min[i]!;
    if (later.max[i]! > into.max[i]!) into.max[i] = later.max[i]!;
  }
  into.count += later.count;
}

/**
 * The finished values of a partial, in the order of valueColumns(spec). A window
 * without events (count 0) has no price: first, last, min, max and mean are NaN.
 */
export function finish(spec: StreamSpec, p: Partial): number[] {
  const out: number[] = [];
  const none = p.count === 0;
  spec.fields.forEach((f, i) => {
    for (const op of f.ops) {
      switch (op) {
        case "first":
          out.push(none ? NaN : p.first[i]!);
          break;
        case "last":
          out.push(none ? NaN : p.last[i]!);
          break;
        case "mean":
          out.push(p.sum[i]! / p.count);
          break;
        case "sum":
          out.push(p.sum[i]!);
          break;
        case "min":
          out.push(none ? NaN : p.min[i]!);
          break;
        case "max":
          out.push(none ? NaN : p.max[i]!);
          break;
      }
    }
    if (needsSum(f)) out.push(p.sum[i]!);
  });
  const names = valueColumns(spec);
  for (const r of spec.ratios ?? []) out.push(out[names.indexOf(r.num)]! / out[names.indexOf(r.den)]!);
  return out;
}
