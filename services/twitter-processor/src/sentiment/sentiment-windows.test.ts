import { test } from "node:test";
import assert from "node:assert/strict";
import { windowRules } from "@cryptostream/common/window/window-book";
import { scoreMean, SentimentWindows } from "./sentiment-windows.js";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

test("tweets aggregate per window; a tweet past end + lateness closes the window", () => {
  const w = new SentimentWindows(windowRules(60, 5));
  const now = T0 + 1_000;
  w.add(T0 + 1_000, 0.5, "positive", now);
  w.add(T0 + 2_000, -0.25, "negative", now);
  w.add(T0 + 59_999, 0, "neutral", now);
  w.add(T0 + 62_000, 0.1, "positive", now); // next window, within lateness of the first: nothing closes
  assert.deepEqual(w.takeClosed(), []);
  assert.equal(w.add(T0 + 30_000, 0.2, "positive", now).late, false); // still open
  w.add(T0 + 65_000, 0, "neutral", now); // watermark reaches end + lateness
  const [first, ...rest] = w.takeClosed();
  assert.deepEqual(rest, []);
  assert.ok(first);
  assert.deepEqual(
    { ...first, scoreSum: Math.round(first.scoreSum * 1e9) / 1e9 },
    {
      source: "twitter",
      windowStart: T0,
      windowEnd: T0 + 60_000,
      count: 4,
      scoreSum: 0.45,
      positive: 2,
      neutral: 1,
      negative: 1,
      complete: true,
    },
  );
  assert.ok(Math.abs(scoreMean(first) - 0.1125) < 1e-12);
  assert.deepEqual(w.add(T0 + 10_000, 1, "positive", now), { late: true });
  assert.equal(w.openCount(), 1);
});

test("the wall clock closes windows once the stream is idle; drain marks open windows incomplete", () => {
  const w = new SentimentWindows(windowRules(10, 2));
  w.add(T0 + 1_000, 0.3, "positive", T0 + 1_000);
  w.add(T0 + 11_000, -0.3, "negative", T0 + 11_000);
  w.tick(T0 + 11_500); // not idle long enough
  assert.deepEqual(w.takeClosed(), []);
  w.tick(T0 + 14_000); // idle 3 s >= 2 s, clock past 10 s + 2 s
  assert.deepEqual(
    w.takeClosed().map((x) => [x.windowStart, x.count, x.complete]),
    [[T0, 1, true]],
  );
  const drained = w.drain();
  assert.deepEqual(
    drained.map((x) => [x.windowStart, x.count, x.negative, x.complete]),
    [[T0 + 10_000, 1, 1, false]],
  );
  assert.equal(w.openCount(), 0);
});

test("each source has its own windows and its own event-time clock", () => {
  const w = new SentimentWindows(windowRules(60, 5));
  const now = T0 + 1_000;
  w.add(T0 + 1_000, 0.5, "positive", now, "bluesky");
  w.add(T0 + 2_000, -0.5, "negative", now, "twitter");
  w.add(T0 + 70_000, 0, "neutral", now, "bluesky"); // closes Bluesky's first window only
  assert.deepEqual(
    w.takeClosed().map((x) => [x.source, x.windowStart, x.count]),
    [["bluesky", T0, 1]],
  );
  assert.equal(w.add(T0 + 3_000, 0.1, "positive", now, "twitter").late, false, "Twitter's window is still open");
  assert.equal(w.openCount(), 2);
  assert.deepEqual(
    w.drain().map((x) => [x.source, x.windowStart, x.count, x.complete]),
    [
      ["bluesky", T0 + 60_000, 1, false],
      ["twitter", T0, 2, false],
    ],
  );
});
