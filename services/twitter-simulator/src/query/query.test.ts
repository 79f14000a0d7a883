import { test } from "node:test";
import assert from "node:assert/strict";
import { QuerySyntaxError } from "./ast.js";
import { matchesQuery, type Matchable } from "./match.js";
import { parseQuery } from "./parse.js";

function tweet(text: string, extra: Partial<Matchable> = {}): Matchable {
  return {
    text,
    lang: "en",
    isRetweet: text.startsWith("RT @"),
    isReply: false,
    authorUsername: "someone",
    authorId: "123",
    conversationId: "1",
    ...extra,
  };
}

const matches = (q: string, t: Matchable): boolean => matchesQuery(parseQuery(q), t);

test("AND binds tighter than OR, parentheses group", () => {
  assert.deepEqual(parseQuery("a b OR c"), {
    kind: "or",
    items: [
      {
        kind: "and",
        items: [
          { kind: "keyword", value: "a" },
          { kind: "keyword", value: "b" },
        ],
      },
      { kind: "keyword", value: "c" },
    ],
  });
  assert.equal(matches("a b OR c", tweet("only c here")), true);
  assert.equal(matches("a (b OR c)", tweet("only c here")), false);
  assert.equal(matches("a (b OR c)", tweet("a and c")), true);
});

test("keywords match whole tokens case-insensitively, including inside #tags and $cashtags", () => {
  assert.equal(matches("bitcoin", tweet("BITCOIN to the moon")), true);
  assert.equal(matches("bitcoin", tweet("I love #Bitcoin")), true);
  assert.equal(matches("btc", tweet("buying $BTC today")), true);
  assert.equal(matches("bitcoin", tweet("bitcoins are plural")), false, "token match, not substring");
  assert.equal(matches("eth", tweet("Ethereum")), false);
});

test("the producer's style of query: OR-ed keywords, lang:en, -is:retweet", () => {
  const q = "(bitcoin OR btc OR ethereum OR eth) lang:en -is:retweet";
  assert.equal(matches(q, tweet("ETH looks strong")), true);
  assert.equal(matches(q, tweet("RT @a: ETH looks strong")), false);
  assert.equal(matches(q, tweet("ETH looks strong", { lang: "ja" })), false);
  assert.equal(matches(q, tweet("Solana looks strong")), false);
  // Without parentheses the same words form "bitcoin OR btc OR ethereum OR (eth lang:en -is:retweet)".
  assert.equal(matches("bitcoin OR eth lang:en -is:retweet", tweet("RT @a: bitcoin")), true);
});

test("phrases, negated keywords, hashtag/cashtag/mention operators", () => {
  assert.equal(matches('"to the moon"', tweet("BTC to the moon!")), true);
  assert.equal(matches('"to the moon"', tweet("the moon to")), false);
  assert.equal(matches("bitcoin -scam", tweet("bitcoin scam alert")), false);
  assert.equal(matches("#btc", tweet("#BTC pumping")), true);
  assert.equal(matches("#btc", tweet("BTC pumping")), false, "#tag matches only hashtags");
  assert.equal(matches("$eth", tweet("$ETH pumping")), true);
  assert.equal(matches("@satoshi_fan", tweet("hey @Satoshi_Fan")), true);
  assert.equal(matches("bitcoin has:links", tweet("bitcoin https://t.co/abcdefghij")), true);
  assert.equal(matches("bitcoin has:links", tweet("bitcoin")), false);
  assert.equal(matches("from:someone", tweet("x")), true);
});

test("keywords in unspaced scripts match as substrings", () => {
  assert.equal(matches("ビットコイン", tweet("今日はビットコインが上がった", { lang: "ja" })), true);
  assert.equal(matches("比特币", tweet("比特币突破了", { lang: "zh" })), true);
  assert.equal(matches("биткоин", tweet("Купил биткоин вчера", { lang: "ru" })), true);
  assert.equal(matches("doge", tweet("坚持定投DOGE三年了", { lang: "zh" })), true, "script change splits tokens");
  assert.equal(matches("bitcoin", tweet("Bitcoinが上がった", { lang: "ja" })), true);
});

test("syntax errors carry a 1-based position", () => {
  const cases: [string, RegExp][] = [
    ["(bitcoin", /missing '\)'/u],
    ["bitcoin)", /extraneous input/u],
    ["bitcoin OR", /no viable alternative/u],
    ['"unterminated', /missing closing/u],
    ["bitcoin foo:bar", /invalid operator 'foo'/u],
    ["bitcoin is:nonsense", /invalid field/u],
    ["lang:en -is:retweet", /at least one positive/u],
    ["-bitcoin", /at least one positive/u],
  ];
  for (const [q, re] of cases) {
    assert.throws(
      () => parseQuery(q),
      (e: unknown) => e instanceof QuerySyntaxError && re.test(e.message) && e.position >= 1,
      q,
    );
  }
  const err = (() => {
    try {
      parseQuery("bitcoin foo:bar");
    } catch (e) {
      return e as QuerySyntaxError;
    }
    return undefined;
  })();
  assert.equal(err?.position, 9);
});
