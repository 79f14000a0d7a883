import assert from "node:assert/strict";
import { test } from "node:test";
import type { HeldEvent } from "./generator.js";
import { History } from "./history.js";

const ev = (seq: number, timeUs: number): HeldEvent =>
  ({ seq, timeUs, kind: "identity", frame: {} as HeldEvent["frame"], json: "{}" }) as HeldEvent;

function filled(capacity: number, times: number[]): History {
  const h = new History(capacity);
  times.forEach((t, i) => h.append(ev(i + 1, t)));
  return h;
}

test("a cursor replays from the first event at or after it", () => {
  const h = filled(10, [100, 200, 300, 400]);
  assert.equal(h.startFor(200), 2);
  assert.equal(h.startFor(201), 3);
  assert.equal(h.startFor(400), 4);
});

test("no cursor or a cursor in the future starts live; an old one starts at the oldest kept", () => {
  const h = filled(3, [100, 200, 300, 400, 500]);
  assert.equal(h.oldestSeq, 3);
  assert.equal(h.startFor(undefined), 6);
  assert.equal(h.startFor(501), 6);
  assert.equal(h.startFor(50), 3, "older than the history: the oldest kept");
  assert.equal(h.at(2), undefined, "gone from the history");
  assert.equal(h.at(3)?.timeUs, 300);
});

test("the history stays bounded and in order over many appends", () => {
  const h = new History(100);
  for (let i = 1; i <= 20_000; i++) h.append(ev(i, i * 10));
  assert.equal(h.size, 100);
  assert.deepEqual(
    h.all().map((e) => e.seq),
    Array.from({ length: 100 }, (_, i) => 19_901 + i),
  );
  assert.equal(h.startFor(199_015), 19_902);
});

test("time_us must increase and seqs must follow", () => {
  const h = filled(10, [100]);
  assert.throws(() => h.append(ev(2, 100)), /time_us must increase/);
  assert.throws(() => h.append(ev(3, 200)), /does not follow/);
});
