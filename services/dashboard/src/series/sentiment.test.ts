import { test } from "node:test";
import assert from "node:assert/strict";
import type { WindowRow } from "@cryptostream/common/hdf5/merge-windows";
import { sentimentSeries } from "./sentiment.js";

const row = (start: number, o: Record<string, number | string> = {}): WindowRow => ({
  window_start: start,
  window_end: start + 10_000,
  count: 4,
  score_mean: 0.25,
  score_sum: 1,
  positive: 2,
  neutral: 1,
  negative: 1,
  complete: 1,
  log_partition: -1,
  log_offset_first: -1,
  log_offset_last: -1,
  ...o,
});

test("today's table: the score mean and the label counts per window", () => {
  assert.deepEqual(sentimentSeries([row(0), row(10_000, { score_mean: -0.5, score_sum: -2 })]), [
    { time: 0, count: 4, means: { score_mean: 0.25 }, labels: { positive: 2, neutral: 1, negative: 1 } },
    { time: 10, count: 4, means: { score_mean: -0.5 }, labels: { positive: 2, neutral: 1, negative: 1 } },
  ]);
});

test("per-source rows: an all-sources mean from the sums, one line per source, labels added up", () => {
  const pts = sentimentSeries([
    row(0, { source: "twitter", compound_mean: 0.5, compound_sum: 2 }),
    row(0, { source: "bluesky", compound_mean: -0.1, compound_sum: -0.4, positive: 0, neutral: 4, negative: 0 }),
  ]);
  assert.equal(pts.length, 1);
  assert.deepEqual(pts[0]!.means, {
    score_mean: 0.25,
    compound_mean: (2 - 0.4) / 8,
    "score_mean/twitter": 0.25,
    "compound_mean/twitter": 0.5,
    "score_mean/bluesky": 0.25,
    "compound_mean/bluesky": -0.1,
  });
  assert.deepEqual(pts[0]!.labels, { positive: 2, neutral: 5, negative: 1 });
  assert.equal(pts[0]!.count, 8);
});

test("partial rows of a window are merged before the mean is taken", () => {
  const [p] = sentimentSeries([
    row(0, { complete: 0, count: 1, score_sum: 1, score_mean: 1, positive: 1, neutral: 0, negative: 0 }),
    row(0, { count: 3, score_sum: -1, score_mean: -1 / 3, positive: 0, neutral: 2, negative: 1 }),
  ]);
  assert.equal(p!.count, 4);
  assert.equal(p!.means.score_mean, 0);
  assert.deepEqual(p!.labels, { positive: 1, neutral: 2, negative: 1 });
});

test("rows of one source only: one line, the source's own mean", () => {
  const pts = sentimentSeries([
    row(0, { source: "twitter" }),
    row(10_000, { source: "twitter", score_mean: -0.5, score_sum: -2 }),
  ]);
  assert.deepEqual(
    pts.map((p) => p.means),
    [{ score_mean: 0.25 }, { score_mean: -0.5 }],
  );
});
