import { test } from "node:test";
import assert from "node:assert/strict";
import { clipUtf8, fitUtf8, utf8BoundaryAtOrBefore } from "./utf8-field.js";

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

test("a text that fits and holds no NUL is stored whole, with no overflow", () => {
  for (const s of ["", "plain ascii", "émoji 🚀 and 日本語", "x".repeat(16)]) {
    const f = fitUtf8(s, 40);
    assert.equal(f.prefix, s);
    assert.equal(f.byteLength, utf8(s));
    assert.equal(f.overflow, undefined);
  }
});

test("exactly the width fits; one byte more overflows", () => {
  const exact = "a".repeat(12) + "🚀"; // 16 bytes
  assert.equal(fitUtf8(exact, 16).overflow, undefined);
  const over = fitUtf8(exact + "b", 16);
  assert.deepEqual(over.overflow, Buffer.from(exact + "b"));
  assert.equal(over.prefix, exact);
});

test("a cut never splits a code point: emoji, CJK, accents, ZWJ sequences", () => {
  const cases: Array<[string, number, string]> = [
    ["ab🚀cd", 3, "ab"], // the rocket's 4 bytes start at 2
    ["ab🚀cd", 5, "ab"],
    ["ab🚀cd", 6, "ab🚀"],
    ["日本語テキスト", 7, "日本"], // 3 bytes each
    ["日本語テキスト", 9, "日本語"],
    ["ééé", 3, "é"], // 2 bytes each
  ];
  for (const [s, width, prefix] of cases) {
    const f = fitUtf8(s, width);
    assert.equal(f.prefix, prefix, `${s} @ ${width}`);
    assert.ok(utf8(f.prefix) <= width);
    assert.deepEqual(f.overflow, Buffer.from(s));
    assert.equal(f.byteLength, utf8(s));
  }
  // A family emoji is one grapheme of 7 code points (25 bytes); the cut lands between code points, never inside one.
  const family = "👨‍👩‍👧‍👦".repeat(3);
  for (let width = 0; width < 80; width++) {
    const f = fitUtf8(family, width);
    assert.ok(utf8(f.prefix) <= width);
    assert.ok(family.startsWith(f.prefix), `prefix at ${width} is a prefix of the text`);
    assert.ok(!f.prefix.includes("\uFFFD"), "no replacement character");
  }
});

test("long texts go whole to the overflow at any length", () => {
  const long = "bitcoin 🚀 ".repeat(1000);
  const f = fitUtf8(long, 1120);
  assert.equal(f.overflow!.toString("utf8"), long);
  assert.equal(f.byteLength, utf8(long));
  assert.ok(utf8(f.prefix) <= 1120 && utf8(f.prefix) > 1110);
});

test("any NUL byte forces the overflow (readers strip trailing NULs or stop at the first), the prefix stops before it", () => {
  for (const s of ["ends with nul\u0000", "two\u0000\u0000", "\u0000", "mid\u0000dle"]) {
    const f = fitUtf8(s, 100);
    assert.deepEqual(f.overflow, Buffer.from(s), JSON.stringify(s));
    assert.equal(f.prefix, s.slice(0, s.indexOf("\u0000")));
    assert.equal(f.byteLength, utf8(s));
  }
});

test("boundary search backs up over continuation bytes only", () => {
  const b = Buffer.from("a€b"); // € = e2 82 ac
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((n) => utf8BoundaryAtOrBefore(b, n)),
    [0, 1, 1, 1, 4, 5, 5],
  );
});

test("clipUtf8 cuts short codes at the width without splitting", () => {
  assert.equal(clipUtf8("en", 8), "en");
  assert.equal(clipUtf8("abcdefghij", 8), "abcdefgh");
  assert.equal(clipUtf8("abcdefg€", 8), "abcdefg");
  assert.equal(clipUtf8("a\u0000b", 8), "a");
});
