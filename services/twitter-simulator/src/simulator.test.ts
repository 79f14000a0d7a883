import { test } from "node:test";
import assert from "node:assert/strict";
import { startTwitterSimulator, type RunningTwitterSimulator, type TwitterSimulatorOptions } from "./simulator.js";

const TOKEN = "sim-token";

interface Reply {
  status: number;
  headers: Headers;
  raw: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

async function search(
  sim: RunningTwitterSimulator,
  params: Record<string, string>,
  auth: string | null = `Bearer ${TOKEN}`,
): Promise<Reply> {
  const url = `${sim.url}/2/tweets/search/recent?${new URLSearchParams(params).toString()}`;
  const res = await fetch(url, { headers: auth === null ? {} : { authorization: auth } });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, raw, body: JSON.parse(raw) };
}

/** Starts a simulator for one test and always stops it. */
async function withSim(
  opts: TwitterSimulatorOptions,
  fn: (sim: RunningTwitterSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startTwitterSimulator({ tweetsPerSecond: 0, ...opts });
  try {
    await fn(sim);
  } finally {
    await sim.stop();
  }
}

/** A clock the test moves by hand, starting now (recent search only sees the last 7 days). */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function addBitcoinTweets(
  sim: RunningTwitterSimulator,
  n: number,
  clock?: { advance: (ms: number) => void },
): string[] {
  return Array.from({ length: n }, (_, i) => {
    clock?.advance(1000);
    return sim.addTweet({ text: `bitcoin number ${i}` }).id;
  });
}

test("missing or wrong bearer token -> 401 with the real body, rate headers, no budget used", async () => {
  await withSim({ port: 0 }, async (sim) => {
    assert.ok(sim.port > 0);
    for (const auth of [null, "Bearer wrong", `Basic ${TOKEN}`]) {
      const r = await search(sim, { query: "bitcoin" }, auth);
      assert.equal(r.status, 401);
      assert.equal(r.raw, '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}');
      assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(r.headers.get("x-rate-limit-remaining"), "450");
    }
    const ok = await search(sim, { query: "bitcoin" }, `bearer ${TOKEN}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("x-rate-limit-limit"), "450");
    assert.equal(ok.headers.get("x-rate-limit-remaining"), "449");
  });
});

test("parameter validation answers 400 with a Twitter-style errors body", async () => {
  await withSim({}, async (sim) => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{}, "query", /can not be empty/u],
      [{ query: "bitcoin", max_results: "9" }, "max_results", /not between 10 and 100/u],
      [{ query: "bitcoin", max_results: "101" }, "max_results", /not between 10 and 100/u],
      [{ query: "bitcoin", max_results: "ten" }, "max_results", /not a valid integer/u],
      [{ query: "bitcoin", since_id: "abc" }, "since_id", /is not valid/u],
      [{ query: "bitcoin", since_id: "1000" }, "since_id", /must be a tweet id created after/u],
      [{ query: "bitcoin", "tweet.fields": "created_at,colour" }, "tweet.fields", /\[colour\] is not one of/u],
      [{ query: "bitcoin", expansions: "author" }, "expansions", /is not one of/u],
      [{ query: "bitcoin", next_token: "garbage" }, "next_token", /is not valid/u],
      [{ query: "bitcoin", end_time: new Date().toISOString() }, "end_time", /minimum of 10 seconds/u],
      [{ query: "bitcoin", start_time: "2001-01-01T00:00:00Z" }, "start_time", /must be on or after/u],
      [{ query: "bitcoin", start_time: "yesterday" }, "start_time", /RFC3339/u],
      [{ query: "(bitcoin" }, "query", /There were errors processing your request: missing '\)'/u],
      [{ query: "bitcoin", colour: "red" }, "colour", /The query parameter \[colour\] is not one of/u],
    ];
    for (const [params, name, message] of cases) {
      const r = await search(sim, params);
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.equal(r.body.title, "Invalid Request");
      assert.equal(r.body.type, "https://api.twitter.com/2/problems/invalid-request");
      const err = r.body.errors.find((e: { parameters: Record<string, unknown> }) => name in e.parameters);
      assert.ok(err, `no error for ${name}: ${r.raw}`);
      assert.match(err.message, message);
      assert.ok(r.headers.get("x-rate-limit-remaining"), "rate headers on 400s too");
    }
    for (const max of ["10", "100"])
      assert.equal((await search(sim, { query: "bitcoin", max_results: max })).status, 200);
  });
});

test("default and requested tweet.fields; ids above 2^53; created_at with milliseconds", async () => {
  await withSim({ initialTweets: 0 }, async (sim) => {
    sim.addTweet({ text: "Bitcoin &amp; friends 🚀 #BTC", lang: "en", author_id: "2244994945" });
    const plain = await search(sim, { query: "bitcoin" });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.data.length, 1);
    const t = plain.body.data[0];
    assert.deepEqual(Object.keys(t).sort(), ["edit_history_tweet_ids", "id", "text"]);
    assert.deepEqual(t.edit_history_tweet_ids, [t.id]);
    assert.equal(t.text, "Bitcoin &amp; friends 🚀 #BTC");
    assert.ok(BigInt(t.id) > 2n ** 53n);

    const rich = await search(sim, {
      query: "bitcoin",
      "tweet.fields": "created_at,author_id,lang,public_metrics,conversation_id,entities",
      expansions: "author_id",
    });
    const r = rich.body.data[0];
    assert.deepEqual(Object.keys(r).sort(), [
      "author_id",
      "conversation_id",
      "created_at",
      "edit_history_tweet_ids",
      "entities",
      "id",
      "lang",
      "public_metrics",
      "text",
    ]);
    assert.match(r.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u);
    assert.equal(r.author_id, "2244994945");
    assert.equal(r.lang, "en");
    assert.equal(r.conversation_id, r.id);
    assert.deepEqual(Object.keys(r.public_metrics).sort(), [
      "bookmark_count",
      "impression_count",
      "like_count",
      "quote_count",
      "reply_count",
      "retweet_count",
    ]);
    assert.deepEqual(r.entities.hashtags, [{ start: 24, end: 28, tag: "BTC" }]);
    assert.deepEqual(
      rich.body.includes.users.map((u: { id: string }) => u.id),
      ["2244994945"],
    );
    assert.deepEqual(rich.body.meta, { newest_id: r.id, oldest_id: r.id, result_count: 1 });
  });
});

test("since_id returns only newer tweets, newest first; nothing newer -> meta only", async () => {
  const clock = fakeClock();
  await withSim({ initialTweets: 0, now: clock.now }, async (sim) => {
    const ids = addBitcoinTweets(sim, 15, clock);
    for (let i = 1; i < ids.length; i++)
      assert.ok(BigInt(ids[i] as string) > BigInt(ids[i - 1] as string), "ids increase over time");
    const since = ids[4] as string;
    const r = await search(sim, { query: "bitcoin", since_id: since, max_results: "100" });
    assert.deepEqual(
      r.body.data.map((t: { id: string }) => t.id),
      ids.slice(5).reverse(),
    );
    assert.equal(r.body.meta.newest_id, ids[14]);
    assert.equal(r.body.meta.oldest_id, ids[5]);
    assert.equal(r.body.meta.result_count, 10);
    assert.equal(r.body.meta.next_token, undefined);

    const none = await search(sim, { query: "bitcoin", since_id: ids[14] as string });
    assert.equal(none.raw, '{"meta":{"result_count":0}}');

    const until = await search(sim, { query: "bitcoin", until_id: ids[2] as string });
    assert.deepEqual(
      until.body.data.map((t: { id: string }) => t.id),
      [ids[1], ids[0]],
    );
  });
});

test("pagination walks every match exactly once via next_token (and pagination_token)", async () => {
  const clock = fakeClock();
  await withSim({ initialTweets: 0, now: clock.now }, async (sim) => {
    const ids = addBitcoinTweets(sim, 35, clock);
    sim.addTweet({ text: "ethereum only" });
    for (const tokenParam of ["next_token", "pagination_token"]) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const params: Record<string, string> = { query: "bitcoin", max_results: "10", since_id: ids[0] as string };
        if (token) params[tokenParam] = token;
        const r = await search(sim, params);
        assert.equal(r.status, 200);
        sizes.push(r.body.meta.result_count);
        seen.push(...r.body.data.map((t: { id: string }) => t.id));
        assert.equal(r.body.meta.newest_id, r.body.data[0].id);
        token = r.body.meta.next_token;
      } while (token);
      assert.deepEqual(sizes, [10, 10, 10, 4]);
      assert.deepEqual(seen, ids.slice(1).reverse());
    }
  });
});

test("start_time (inclusive) and end_time (exclusive) filter by created_at", async () => {
  const clock = fakeClock();
  await withSim({ initialTweets: 0, now: clock.now }, async (sim) => {
    addBitcoinTweets(sim, 5, clock);
    clock.advance(60_000);
    const all = sim.tweets();
    const start = all[1]?.created_at as string;
    const end = all[3]?.created_at as string;
    const r = await search(sim, { query: "bitcoin", start_time: start, end_time: end });
    assert.deepEqual(
      r.body.data.map((t: { id: string }) => t.id),
      [all[2]?.id, all[1]?.id],
    );
  });
});

test("rate limit: headers count down, 429 after the budget, refill after the window", async () => {
  const clock = fakeClock();
  await withSim({ rateLimit: 3, rateWindowSeconds: 60, now: clock.now }, async (sim) => {
    const reset = String(Math.ceil((clock.now() + 60_000) / 1000));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await search(sim, { query: "bitcoin" });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("x-rate-limit-limit"), "3");
      assert.equal(r.headers.get("x-rate-limit-reset"), reset);
      remaining.push(r.headers.get("x-rate-limit-remaining") ?? "");
      clock.advance(1000);
    }
    assert.deepEqual(remaining, ["2", "1", "0"]);
    const over = await search(sim, { query: "bitcoin" });
    assert.equal(over.status, 429);
    assert.equal(
      over.raw,
      '{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}',
    );
    assert.equal(over.headers.get("x-rate-limit-remaining"), "0");
    assert.equal(over.headers.get("x-rate-limit-reset"), reset);
    clock.advance(60_000);
    const again = await search(sim, { query: "bitcoin" });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("x-rate-limit-remaining"), "2");
  });
});

test("faults: POST /_sim/faults, programmatic injectFaults, and fail5xxEvery", async () => {
  await withSim({}, async (sim) => {
    const post = await fetch(`${sim.url}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({ status: 503, count: 2 }),
    });
    assert.equal(post.status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await search(sim, { query: "bitcoin" })).status);
    assert.deepEqual(statuses, [503, 503, 200]);

    sim.injectFaults({ status: 429, count: 1, resetInSeconds: 2 });
    const before = Math.ceil(Date.now() / 1000);
    const limited = await search(sim, { query: "bitcoin" });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.title, "Too Many Requests");
    assert.equal(limited.headers.get("x-rate-limit-remaining"), "0");
    const reset = Number(limited.headers.get("x-rate-limit-reset"));
    assert.ok(reset >= before + 2 && reset <= before + 3, `reset ${reset} vs ${before}`);

    sim.injectFaults({ status: 500, count: 1 });
    const five = await search(sim, { query: "bitcoin" });
    assert.equal(
      five.raw,
      '{"title":"Internal Server Error","detail":"Internal Server Error","type":"about:blank","status":500}',
    );

    const bad = await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ status: 418 }) });
    assert.equal(bad.status, 400);
    const stats = sim.stats(false);
    assert.equal(stats.faults.injectedFired, 4);
    assert.equal(stats.requests.byStatus["503"], 2);
  });
  await withSim({ fail5xxEvery: 2 }, async (sim) => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await search(sim, { query: "bitcoin" })).status);
    assert.deepEqual(statuses, [200, 503, 200, 500, 200, 503]);
  });
});

test("served log lists every tweet served once, with exact text and how often it was served", async () => {
  await withSim({ initialTweets: 300, seed: "served" }, async (sim) => {
    const first = await search(sim, { query: "bitcoin OR ethereum", max_results: "20" });
    const second = await search(sim, { query: "bitcoin OR ethereum", max_results: "10" });
    const third = await search(sim, {
      query: "bitcoin OR ethereum",
      max_results: "100",
      next_token: first.body.meta.next_token,
    });
    const byId = new Map<string, string>();
    for (const r of [first, second, third]) for (const t of r.body.data) byId.set(t.id, t.text);
    const served = sim.served();
    assert.equal(served.length, byId.size);
    for (const s of served) assert.equal(byId.get(s.id), s.text);
    const twice = served.filter((s) => s.timesServed === 2).map((s) => s.id);
    assert.deepEqual(twice.sort(), second.body.data.map((t: { id: string }) => t.id).sort());

    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
      served: { unique: number; total: number; tweets: { id: string; text: string }[] };
    };
    assert.equal(stats.served.unique, byId.size);
    assert.equal(stats.served.total, 20 + 10 + third.body.meta.result_count);
    assert.deepEqual(
      stats.served.tweets.map((t) => t.id),
      served.map((s) => s.id),
    );
  });
});

test("the seeded corpus through the API: lang:en -is:retweet filters, same seed same tweets", async () => {
  const clock = fakeClock();
  const opts = { initialTweets: 500, seed: "corpus", now: clock.now };
  await withSim(opts, async (a) => {
    await withSim(opts, async (b) => {
      assert.deepEqual(a.tweets(), b.tweets(), "same seed and clock -> same ids and texts");
    });
    const held = a.tweets();
    assert.equal(held.length, 500);
    assert.ok(held.some((t) => t.lang !== "en" && /bitcoin/iu.test(t.text)));
    assert.ok(held.some((t) => t.is_retweet && /bitcoin/iu.test(t.text)));
    const got: { id: string; text: string; lang: string }[] = [];
    let token: string | undefined;
    do {
      const params: Record<string, string> = {
        query: "(bitcoin OR btc) lang:en -is:retweet",
        max_results: "100",
        "tweet.fields": "lang",
      };
      if (token) params.next_token = token;
      const r = await search(a, params);
      got.push(...r.body.data);
      token = r.body.meta.next_token;
    } while (token);
    assert.ok(got.length > 30, `only ${got.length} matches`);
    for (const t of got) {
      assert.equal(t.lang, "en");
      assert.doesNotMatch(t.text, /^RT @/u);
      assert.match(t.text, /(^|[^\p{L}\p{N}])(bitcoin|btc)([^\p{L}\p{N}]|$)/iu);
    }
    const expected = held.filter(
      (t) => t.lang === "en" && !t.is_retweet && /(^|[^\p{L}\p{N}])(bitcoin|btc)([^\p{L}\p{N}]|$)/iu.test(t.text),
    );
    assert.equal(got.length, expected.length);
  });
});

test("tweets appear over time at tweetsPerSecond; control endpoints add tweets", async () => {
  const clock = fakeClock();
  await withSim({ initialTweets: 10, tweetsPerSecond: 2, now: clock.now }, async (sim) => {
    assert.equal(sim.tweets().length, 10);
    clock.advance(5_000);
    const after = sim.tweets();
    assert.equal(after.length, 20);
    assert.ok(after.slice(10).every((t) => Date.parse(t.created_at) <= clock.now()));
    const res = await fetch(`${sim.url}/_sim/tweets`, { method: "POST", body: JSON.stringify({ count: 3 }) });
    assert.equal(res.status, 201);
    const custom = await fetch(`${sim.url}/_sim/tweets`, {
      method: "POST",
      body: JSON.stringify({ text: "hello bitcoin", lang: "en" }),
    });
    const body = (await custom.json()) as { tweet: { id: string; text: string } };
    assert.equal(body.tweet.text, "hello bitcoin");
    const list = (await (await fetch(`${sim.url}/_sim/tweets`)).json()) as { tweets: { id: string }[] };
    assert.equal(list.tweets.length, 24);
    assert.equal(list.tweets[23]?.id, body.tweet.id);
  });
  await withSim({ initialTweets: 50, historySize: 20 }, async (sim) => {
    assert.equal(sim.tweets().length, 20, "history is bounded");
  });
});

test("unknown paths answer 404; stop() closes the port", async () => {
  const sim = await startTwitterSimulator({ tweetsPerSecond: 0 });
  const r = await fetch(`${sim.url}/2/tweets/nothing`);
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { errors: [{ message: "Sorry, that page does not exist", code: 34 }] });
  await sim.stop();
  await sim.stop(); // idempotent
  await assert.rejects(fetch(`${sim.url}/2/tweets/search/recent?query=x`));
});
