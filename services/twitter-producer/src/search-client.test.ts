import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Registry, createLogger, standardMetrics } from "@cryptostream/common";
import { realClock } from "./clock.js";
import { Poller } from "./poller.js";
import { AbortError, SEARCH_PATH, TWEET_FIELDS, apiBase, classify, createSearchClient } from "./search-client.js";

const TOKEN = "AAAAtest-bearer-token-0123456789%2Fsecret";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function withServer(handler: Handler, fn: (baseUrl: string) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const client = (apiUrl: string, timeoutMs = 2000) =>
  createSearchClient({
    apiUrl,
    bearerToken: TOKEN,
    query: "(btc OR eth) lang:en -is:retweet",
    maxResults: 100,
    timeoutMs,
  });

const OK_BODY = {
  data: [
    {
      id: "1790000000000000002",
      text: "btc ✓ to the moon",
      created_at: "2024-05-01T12:00:00.000Z",
      author_id: "7",
    },
  ],
  meta: {
    result_count: 1,
    newest_id: "1790000000000000002",
    oldest_id: "1790000000000000002",
  },
};

test("sends the documented request and returns the body exactly as received", async () => {
  let seen: { path: string; params: Record<string, string>; auth: string | undefined } | undefined;
  await withServer(
    (req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      seen = {
        path: u.pathname,
        params: Object.fromEntries(u.searchParams),
        auth: req.headers.authorization,
      };
      res.writeHead(200, {
        "content-type": "application/json",
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": "449",
        "x-rate-limit-reset": "1700000900",
      });
      res.end(JSON.stringify(OK_BODY));
    },
    async (base) => {
      const r = await client(base).search(
        { sinceId: "1790000000000000001", nextToken: "b26v89c19zqg8o3f" },
        new AbortController().signal,
      );
      assert.equal(r.kind, "ok");
      if (r.kind !== "ok") return;
      assert.deepEqual(r.body, OK_BODY);
      assert.equal(r.rate.remaining, 449);
      assert.equal(r.rate.resetAtMs, 1_700_000_900_000);
    },
  );
  assert.deepEqual(seen, {
    path: SEARCH_PATH,
    params: {
      query: "(btc OR eth) lang:en -is:retweet",
      max_results: "100",
      "tweet.fields": TWEET_FIELDS,
      since_id: "1790000000000000001",
      next_token: "b26v89c19zqg8o3f",
    },
    auth: `Bearer ${TOKEN}`,
  });
});

test("TWITTER_API_URL copied with /2 or the whole search path still names the API's origin", () => {
  for (const u of [
    "https://api.x.com",
    "https://api.x.com/",
    "https://api.x.com/2",
    "https://api.x.com/2/tweets/search/recent/",
  ])
    assert.equal(apiBase(u), "https://api.x.com");
  assert.equal(apiBase("http://127.0.0.1:8080/proxy"), "http://127.0.0.1:8080/proxy", "another base path is kept");
});

test("classifies statuses: 429, 401/403, 5xx, 400 with invalid parameters, malformed 200", () => {
  const none = () => undefined;
  assert.equal(classify(429, none, "").kind, "rateLimited");
  assert.equal(classify(401, none, '{"title":"Unauthorized"}').kind, "authError");
  assert.equal(classify(403, none, "").kind, "authError");
  assert.equal(classify(502, none, "<html>bad gateway</html>").kind, "serverError");
  const bad = classify(
    400,
    none,
    JSON.stringify({
      errors: [{ parameters: { since_id: ["1"] }, message: "Invalid 'since_id'" }],
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
    }),
  );
  assert.equal(bad.kind, "clientError");
  if (bad.kind === "clientError") {
    assert.deepEqual(bad.invalidParams, ["since_id"]);
    assert.equal(bad.detail, "Invalid Request: One or more parameters to your request was invalid.");
  }
  const html = classify(200, none, "<html>captive portal</html>");
  assert.deepEqual(html.kind === "malformed" && html.reason, "body is not valid JSON");
  const noMeta = classify(200, none, '{"data":[]}');
  assert.deepEqual(noMeta.kind === "malformed" && noMeta.reason, "meta is missing");
  const noNewest = classify(200, none, '{"meta":{"result_count":2}}');
  assert.equal(noNewest.kind, "malformed");
  assert.equal(classify(200, none, '{"meta":{"result_count":0}}').kind, "ok");
});

test("a slow server becomes a networkError (timeout) carrying only code and message", async () => {
  await withServer(
    () => undefined, // never answers
    async (base) => {
      const started = Date.now();
      const r = await client(base, 300).search({}, new AbortController().signal);
      assert.equal(r.kind, "networkError");
      if (r.kind === "networkError") assert.equal(r.code, "ETIMEDOUT");
      assert.ok(Date.now() - started < 2000);
      assert.deepEqual(Object.keys(r).sort(), ["code", "kind", "message"]);
      assert.ok(!JSON.stringify(r).includes(TOKEN));
    },
  );
});

test("a refused connection becomes a networkError", async () => {
  let port = 0;
  await withServer(
    () => undefined,
    async (base) => {
      port = Number(new URL(base).port);
    },
  );
  const r = await client(`http://127.0.0.1:${port}`).search({}, new AbortController().signal);
  assert.equal(r.kind, "networkError");
  if (r.kind === "networkError") assert.equal(r.code, "ECONNREFUSED");
});

test("aborting cancels a pending request at once with AbortError", async () => {
  await withServer(
    () => undefined,
    async (base) => {
      const ac = new AbortController();
      const started = Date.now();
      const p = client(base, 10_000).search({}, ac.signal);
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(p, AbortError);
      assert.ok(Date.now() - started < 1000);
    },
  );
});

test("no log line contains the token, whatever the API does (logger without redaction)", async () => {
  const answers: Handler[] = [
    (_q, s) => s.writeHead(401, { "content-type": "application/json" }).end('{"title":"Unauthorized","status":401}'),
    (_q, s) => s.writeHead(403).end("forbidden"),
    (_q, s) => s.writeHead(500).end("oops"),
    (_q, s) => s.writeHead(429).end(),
    (_q, s) => s.writeHead(400).end('{"title":"Invalid Request","errors":[{"parameters":{"query":["x"]}}]}'),
    (_q, s) => s.writeHead(200).end("not json"),
    () => undefined, // timeout
    (_q, s) => s.destroy(), // connection reset
    (_q, s) => s.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(OK_BODY)),
  ];
  let i = 0;
  const lines: string[] = [];
  await withServer(
    (req, res) => {
      const answer = answers[Math.min(i++, answers.length - 1)]!;
      answer(req, res);
    },
    async (base) => {
      const log = createLogger({ service: "t" }, { level: "debug", sink: (l) => lines.push(l) });
      let published = 0;
      const poller = new Poller(
        {
          client: client(base, 200),
          encode: (b) => Buffer.from(JSON.stringify(b)),
          send: async () => {
            published += 1;
          },
          store: { save: async () => undefined },
          log,
          metrics: standardMetrics(new Registry()),
          clock: realClock,
        },
        {
          pollMs: 60_000,
          backoff: { baseMs: 5, capMs: 20 },
          authRetryMs: 5,
          publishGraceMs: 100,
        },
      );
      const done = poller.start();
      const deadline = Date.now() + 5000;
      while (published === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await poller.stop();
      await done;
      assert.equal(published, 1, "the poller got through every failure to the good response");
    },
  );
  if (process.env.SHOW_LINES) process.stderr.write(lines.join("\n") + "\n");
  assert.ok(lines.length >= 8, `expected a line per failure kind, got ${lines.length}`);
  const joined = lines.join("\n");
  assert.ok(!joined.includes(TOKEN), "token leaked into the log");
  assert.ok(!joined.includes("AAAAtest"), "part of the token leaked into the log");
  assert.ok(!/authorization/i.test(joined), "request headers were logged");
  assert.match(joined, /rejected the bearer token \(401\): check TWITTER_BEARER_TOKEN/);
});
