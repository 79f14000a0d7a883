import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_TERMS, langFilter, termMatcher } from "./terms.js";

const m = termMatcher(DEFAULT_TERMS);

test("whole words, any case, with hashtags and cashtags", () => {
  for (const text of [
    "Bitcoin is up",
    "BITCOIN!",
    "buying btc today",
    "#BTC to the moon",
    "$btc and chill",
    "ETH-USD looks heavy",
    "(eth)",
    "gm. $ETH",
    "crypto, again",
    "#Crypto",
    "el bitcoin volvió",
    "比特币 bitcoin 今天",
    "ビットコインが上がってる！ #BTC 今日",
    "$SOL validators",
    "ethereum's roadmap",
  ])
    assert.ok(m(text), text);
});

test("no match inside a longer word, a longer cashtag or a plural", () => {
  for (const text of [
    "new ethernet cable",
    "cryptography lecture",
    "Bitcoiners at dinner",
    "$BTCUSD ticker",
    "Ethics class",
    "btc_usd",
    "ethé",
    "sol y playa",
    "",
  ])
    assert.equal(m(text), undefined, text);
});

test("a cashtag term matches only the cashtag; the first term found is reported as written", () => {
  const cash = termMatcher(["$SOL"]);
  assert.equal(cash("$sol pumps"), "$SOL");
  assert.equal(cash("sol pumps"), undefined);
  assert.equal(cash("#sol pumps"), undefined);
  assert.equal(termMatcher(["Solana", "$sol"])("I like SOLANA"), "Solana");
  assert.equal(termMatcher(["a.b"])("axb"), undefined, "regex characters are literal");
  assert.throws(() => termMatcher([" ", ""]), /no terms/);
});

test("languages: primary subtags, any of the post's langs; none wanted = all pass", () => {
  const en = langFilter(["en", "pt-BR"]);
  assert.ok(en(["en-US"]));
  assert.ok(en(["ja", "en"]));
  assert.ok(en(["pt"]));
  assert.ok(!en(["de"]));
  assert.ok(!en([]), "posts without langs do not pass a filter");
  assert.ok(langFilter([])([]));
});
