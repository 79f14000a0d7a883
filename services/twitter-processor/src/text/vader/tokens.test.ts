import { test } from "node:test";
import assert from "node:assert/strict";
import {
  allCapDifferential,
  codePoints,
  isUpper,
  pySplit,
  stripPunctuationIfWord,
  wordsAndEmoticons,
} from "./tokens.js";

test("splits on Python's whitespace: ASCII separators yes, a zero-width no-break space no", () => {
  assert.deepEqual(pySplit(" a\tb\nc\u00a0d\u3000e\x1cf "), ["a", "b", "c", "d", "e", "f"]);
  assert.deepEqual(pySplit("a\ufeffb"), ["a\ufeffb"]);
  assert.deepEqual(pySplit("   "), []);
});

test("edge punctuation is stripped from words; what would shrink to two characters or fewer stays whole", () => {
  assert.equal(stripPunctuationIfWord("good!!!"), "good");
  assert.equal(stripPunctuationIfWord("(great),"), "great");
  assert.equal(stripPunctuationIfWord("don't"), "don't");
  assert.equal(stripPunctuationIfWord(":)"), ":)");
  assert.equal(stripPunctuationIfWord(":-("), ":-(");
  assert.equal(stripPunctuationIfWord("ok!"), "ok!", "as the reference: short words keep their punctuation");
  assert.equal(stripPunctuationIfWord("#bitcoin"), "bitcoin");
  assert.equal(stripPunctuationIfWord("«great»"), "«great»", "only ASCII punctuation is stripped");
  assert.deepEqual(wordsAndEmoticons("Wow!! :D so #good..."), ["Wow", ":D", "so", "good"]);
});

test("lengths count code points, as Python does", () => {
  assert.equal(codePoints("🚀🚀"), 2);
  assert.equal(stripPunctuationIfWord("!🚀🚀!"), "!🚀🚀!");
  assert.equal(stripPunctuationIfWord("!🚀🚀🚀!"), "🚀🚀🚀");
});

test("isupper: a cased character and no lowercase one", () => {
  assert.equal(isUpper("GOOD"), true);
  assert.equal(isUpper("GOOD!"), true);
  assert.equal(isUpper("I"), true);
  assert.equal(isUpper("Good"), false);
  assert.equal(isUpper(":)"), false);
  assert.equal(isUpper("123"), false);
  assert.equal(isUpper("ÉTÉ"), true);
});

test("cap differential: some, not all, tokens in caps", () => {
  assert.equal(allCapDifferential(["GOOD", "day"]), true);
  assert.equal(allCapDifferential(["GOOD", "DAY"]), false);
  assert.equal(allCapDifferential(["good", "day"]), false);
  assert.equal(allCapDifferential([]), false);
});
