/**
 * Helpers shared by the pickle tests and the benchmark (not part of the codec's API).
 *
 * `tag` turns a value into a JSON form that spells out what Python would see: int vs float
 * (floats by their IEEE bits, so NaN and -0 compare exactly), str, bytes, list, and dicts as
 * ordered key/value pairs. The Python side of the round-trip test builds the same form, so
 * one deepStrictEqual checks types, values and key order at once.
 */
import { isContainer, type PickleValue } from "@cryptostream/common/codecs/pickle/value";

export type Tagged =
  | null
  | boolean
  | { int: string }
  | { float: string }
  | { str: string }
  | { bytes: string }
  | { list: Tagged[] }
  | { dict: [string, Tagged][] };

export function tag(value: PickleValue): Tagged {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "bigint") return { int: value.toString() };
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) return { int: String(value) };
    return { float: floatBits(value) };
  }
  if (typeof value === "string") return { str: value };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("hex") };
  if (Array.isArray(value)) return { list: value.map(tag) };
  return { dict: Object.keys(value).map((k) => [k, tag(value[k]!)] as [string, Tagged]) };
}

export function floatBits(x: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString("hex");
}

export function containsBytes(value: PickleValue): boolean {
  if (value instanceof Uint8Array) return true;
  if (!isContainer(value)) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(containsBytes);
}

/** Deterministic PRNG (mulberry32) so a failing fuzz run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nested(
  depth: number,
  leaf: PickleValue,
  wrap: (inner: PickleValue, level: number) => PickleValue,
): PickleValue {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = wrap(v, i);
  return v;
}

/** A Twitter API v2 recent-search response of the shape the producer publishes. */
export function twitterRecentSearchResponse(tweets = 100): PickleValue {
  const base = 1790000000000000000n;
  const data: PickleValue[] = [];
  for (let i = 0; i < tweets; i++) {
    const id = (base + BigInt(i * 7919)).toString();
    data.push({
      id,
      text:
        `RT @trader_${i}: $BTC breaking out again 🚀 ${i % 3 === 0 ? "比特币 " : ""}` +
        `target ${60000 + i * 13} by Friday, volume is up ${i % 17}% on the day #bitcoin #crypto https://t.co/Ab${i}Cd`,
      author_id: String(100000000 + i * 31),
      created_at: `2024-03-0${1 + (i % 9)}T12:${String(i % 60).padStart(2, "0")}:00.000Z`,
      lang: i % 5 === 0 ? "es" : "en",
      edit_history_tweet_ids: [id],
      public_metrics: {
        retweet_count: (i * 37) % 1000,
        reply_count: i % 12,
        like_count: (i * 101) % 5000,
        quote_count: i % 4,
        bookmark_count: i % 7,
        impression_count: 1000 + i * 977,
      },
    });
  }
  return {
    data,
    meta: {
      newest_id: (base + BigInt((tweets - 1) * 7919)).toString(),
      oldest_id: base.toString(),
      result_count: tweets,
      next_token: "b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy2nq9q0w3h",
    },
  };
}

/** Values that both directions of the Python round trip must carry exactly. */
export function roundTripCorpus(): { name: string; value: PickleValue }[] {
  const bytes300 = Buffer.alloc(300, 0xab);
  const bytes70k = Buffer.alloc(70_000);
  for (let i = 0; i < bytes70k.length; i++) bytes70k[i] = (i * 7) & 0xff;
  const bigDict: Record<string, PickleValue> = {};
  for (let i = 0; i < 2500; i++) bigDict[`key_${i}`] = i % 2 === 0 ? i : `v${i}`;
  return [
    { name: "scalars", value: [null, true, false] },
    {
      name: "ints at every opcode boundary",
      value: [
        0,
        1,
        -1,
        255,
        256,
        65535,
        65536,
        2 ** 31 - 1,
        2 ** 31,
        -(2 ** 31),
        -(2 ** 31) - 1,
        2 ** 32,
        2 ** 40,
        -(2 ** 47),
        2 ** 48,
        Number.MAX_SAFE_INTEGER,
        Number.MIN_SAFE_INTEGER,
      ],
    },
    {
      name: "big ints",
      value: [
        2n ** 64n,
        -(2n ** 64n),
        2n ** 63n - 1n,
        -(2n ** 63n),
        2n ** 200n,
        -(2n ** 200n),
        2n ** 53n,
        -(2n ** 53n),
        2n ** 2040n,
        -(2n ** 2047n),
      ],
    },
    { name: "small bigints come back as numbers", value: [5n, -5n, 2n ** 40n] },
    {
      name: "floats",
      value: [
        0.5,
        -0.5,
        -0,
        NaN,
        Infinity,
        -Infinity,
        1e300,
        -1e-300,
        5e-324,
        Number.MAX_VALUE,
        0.1 + 0.2,
        2 ** 60,
        1e21,
      ],
    },
    { name: "ascii strings", value: ["", "a", "hello world", "x".repeat(85), "x".repeat(255), "x".repeat(256)] },
    {
      name: "unicode strings",
      value: [
        "héllo",
        "😀👍🏽🇯🇵",
        "中文字符，汉字",
        "é".repeat(85),
        "é".repeat(200),
        "nul\u0000inside",
        "\uffff\u0800\u07ff",
      ],
    },
    {
      name: "lone surrogates",
      value: ["a\ud800b", "\udc00", "end\ud83d", "\ude00start", "\ud800\ud800", "ok😀\udfff"],
    },
    { name: "long string", value: "long text ✓ ".repeat(10_000) },
    { name: "bytes", value: [Buffer.alloc(0), Buffer.from([0, 255]), new Uint8Array([1, 2, 3]), bytes300] },
    { name: "bytes over 64 KiB", value: bytes70k },
    { name: "empty containers", value: { list: [], dict: {}, nested: [[], [{}], { a: [] }] } },
    { name: "dict keys", value: { "": 1, é: 2, "😀": 3, ["__proto__"]: 4, "with space": 5, constructor: 6, "10": 7 } },
    { name: "10k-element list", value: Array.from({ length: 10_000 }, (_, i) => i * 3) },
    { name: "2500 strings (APPENDS batches)", value: Array.from({ length: 2500 }, (_, i) => `s${i}`) },
    { name: "2500-key dict (SETITEMS batches)", value: bigDict },
    { name: "nested lists 250 deep", value: nested(250, "bottom", (v) => [v]) },
    { name: "nested dicts 250 deep", value: nested(250, 1, (v, i) => ({ [`level${i}`]: v, depth: i })) },
    { name: "twitter response", value: twitterRecentSearchResponse(100) },
  ];
}
