import { test } from "node:test";
import assert from "node:assert/strict";
import { extractEntities } from "./entities.js";
import { FaultInjector } from "./faults.js";
import { FixedWindowRateLimiter } from "./rate-limit.js";
import { decodePageToken, encodePageToken } from "./search/pagination-token.js";
import { SnowflakeMinter, makeSnowflake, parseId, snowflakeTime } from "./snowflake.js";
import { truncateToFit, weightedLength } from "./tweet-length.js";

test("snowflakes are above 2^53, round-trip their time and increase strictly", () => {
  const ms = Date.UTC(2024, 4, 1);
  const id = makeSnowflake(ms, 7, 0);
  assert.ok(id > 2n ** 53n);
  assert.equal(snowflakeTime(id), ms);
  const m = new SnowflakeMinter(1);
  const a = m.mint(ms);
  const b = m.mint(ms);
  const c = m.mint(ms - 5000); // clock stepped back
  assert.ok(a < b && b < c);
  assert.equal(parseId("1790000000000000000"), 1790000000000000000n);
  for (const bad of ["", "abc", "-1", "0", "1.5", "99999999999999999999"]) assert.equal(parseId(bad), undefined, bad);
});

test("page tokens round-trip and reject tampering", () => {
  const id = 1790000000123456789n;
  const token = encodePageToken(id);
  assert.match(token, /^[0-9a-z]+$/u);
  assert.equal(decodePageToken(token), id);
  const tampered = token.slice(0, 5) + (token[5] === "a" ? "b" : "a") + token.slice(6);
  assert.equal(decodePageToken(tampered), undefined);
  assert.equal(decodePageToken("nope"), undefined);
});

test("weighted length counts CJK double, emoji sequences as 2, URLs as 23", () => {
  assert.equal(weightedLength("hello"), 5);
  assert.equal(weightedLength("日本"), 4);
  assert.equal(weightedLength("👨‍👩‍👧‍👦"), 2);
  assert.equal(weightedLength("🇯🇵"), 2);
  assert.equal(weightedLength("see https://t.co/abcdefghij"), 4 + 23);
  const long = "word ".repeat(100);
  const cut = truncateToFit(long, 50);
  assert.ok(weightedLength(cut) <= 50 && cut.endsWith("…"));
  const cjk = truncateToFit("日".repeat(200));
  assert.ok(weightedLength(cjk) <= 280 && weightedLength(cjk) >= 278);
});

test("entities use code-point offsets", () => {
  const text = "🚀 #BTC to $ETH via @a_b https://t.co/abcdefghij";
  const e = extractEntities(text);
  const cps = [...text];
  const slice = (s: number, en: number): string => cps.slice(s, en).join("");
  const h = e.hashtags?.[0];
  assert.ok(h);
  assert.equal(slice(h.start, h.end), "#BTC");
  const c = e.cashtags?.[0];
  assert.ok(c);
  assert.equal(slice(c.start, c.end), "$ETH");
  const m = e.mentions?.[0];
  assert.ok(m);
  assert.equal(slice(m.start, m.end), "@a_b");
  assert.equal(e.urls?.[0]?.url, "https://t.co/abcdefghij");
  assert.deepEqual(extractEntities("price $67,000 and #1"), {});
});

test("fixed-window limiter: budget, reset time, refill after the window", () => {
  let now = 1_700_000_000_000;
  const rl = new FixedWindowRateLimiter(3, 60_000, () => now);
  assert.deepEqual(rl.state(), { limit: 3, remaining: 3, reset: 1_700_000_060 });
  assert.equal(rl.tryConsume(), true);
  now += 10_000;
  assert.equal(rl.tryConsume(), true);
  assert.equal(rl.tryConsume(), true);
  assert.equal(rl.tryConsume(), false);
  assert.deepEqual(rl.state(), { limit: 3, remaining: 0, reset: 1_700_000_060 }, "window opened at the first request");
  now += 50_000;
  assert.equal(rl.state().remaining, 3);
  assert.equal(rl.tryConsume(), true);
});

test("fault injector: queued faults first, then every Nth alternating 503/500", () => {
  const f = new FaultInjector(3);
  f.inject({ status: 429, count: 2 });
  const seq = Array.from({ length: 9 }, () => f.next()?.status ?? 200);
  assert.deepEqual(seq, [429, 429, 503, 200, 200, 500, 200, 200, 503]);
  assert.throws(() => f.inject({ status: 418 as never, count: 1 }));
});
