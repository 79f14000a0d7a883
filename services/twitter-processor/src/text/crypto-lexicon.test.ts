import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeLexicon, parseSupplement, phraseJoiner, phraseKey } from "./crypto-lexicon.js";
import { loadCryptoSupplement } from "./lexicon-files.js";

test("parses term, valence and why; skips comments and blank lines", () => {
  const got = parseSupplement("# a comment\n\nrekt\t-2.8\twrecked\nrug pull\t-3\tfraud with a loss\n");
  assert.deepEqual(got, [
    { term: "rekt", valence: -2.8, why: "wrecked" },
    { term: "rug pull", valence: -3, why: "fraud with a loss" },
  ]);
});

test("rejects what would make a silent mistake: no reason, a value off VADER's scale, capitals, repeats", () => {
  assert.throws(() => parseSupplement("rekt\t-2.8\n"), /justification/);
  assert.throws(() => parseSupplement("rekt\t-2.8\t\n"), /justification/);
  assert.throws(() => parseSupplement("rekt\t-5\tx\n"), /\[-4, 4\]/);
  assert.throws(() => parseSupplement("rekt\t\tx\n"), /\[-4, 4\]/);
  assert.throws(() => parseSupplement("Rekt\t-2\tx\n"), /lowercase/);
  assert.throws(() => parseSupplement("rekt\t-2\tx\nrekt\t-1\ty\n"), /twice/);
});

test("merging adds new terms and replaces VADER's value, under the phrase's joined key", () => {
  const base = new Map([
    ["fire", -1.4],
    ["good", 1.9],
  ]);
  const merged = mergeLexicon(base, parseSupplement("🔥\t1.5\thype\nfire\t0\tx\nrug pull\t-3\tfraud\n"));
  assert.deepEqual(
    [...merged],
    [
      ["fire", 0],
      ["good", 1.9],
      ["🔥", 1.5],
      ["rug_pull", -3],
    ],
  );
  assert.equal(base.get("fire"), -1.4, "the base lexicon is not changed");
  assert.equal(phraseKey("all time high"), "all_time_high");
});

test("phrases become one token, in any case, across spaces or hyphens, only as whole words", () => {
  const join = phraseJoiner(parseSupplement("all time high\t2\tx\nrug pull\t-3\ty\nrug pulled\t-3\tz\n"));
  assert.equal(join("New ALL-TIME HIGH!"), "New ALL_TIME_HIGH!");
  assert.equal(join("a Rug  Pull, then a rug pulled"), "a Rug_Pull, then a rug_pulled");
  assert.equal(join("smuggled rug pulls"), "smuggled rug pulls", "rug pulls is not a listed phrase");
  assert.equal(join("no phrase here"), "no phrase here");
  assert.equal(phraseJoiner([])("rug pull"), "rug pull");
});

test("the shipped supplement parses, and holds the crypto words the issue names", () => {
  const terms = new Set(loadCryptoSupplement().map((e) => e.term));
  for (const t of ["bullish", "bearish", "mooning", "rekt", "hodl", "ath", "bagholder", "ngmi", "wagmi", "rugpull"])
    assert.ok(terms.has(t), t);
});
