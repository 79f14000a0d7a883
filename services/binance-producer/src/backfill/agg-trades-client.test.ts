import { test } from "node:test";
import assert from "node:assert/strict";
import { silentLogger } from "@cryptostream/common";
import { AggTradesClient, BackfillStop, type RestAggTrade } from "./agg-trades-client.js";
import type { HttpGet, HttpResponse } from "./http-get.js";

const trades = (from: number, n: number): RestAggTrade[] =>
  Array.from({ length: n }, (_, i) => ({ a: from + i, p: "1", q: "1", f: 0, l: 0, T: from + i, m: true, M: true }));

function fakeHttp(answers: Array<HttpResponse | Error>) {
  const calls: Array<Record<string, string | number>> = [];
  const get: HttpGet = async (url, params) => {
    assert.equal(url, "http://rest.test/api/v3/aggTrades");
    calls.push({ ...params });
    const a = answers.shift();
    if (!a) throw new Error("no more answers");
    if (a instanceof Error) throw a;
    return a;
  };
  return { get, calls };
}

const ok = (data: unknown, weight = 4): HttpResponse => ({
  status: 200,
  headers: { "x-mbx-used-weight-1m": String(weight) },
  data,
});

function client(get: HttpGet, extra: Partial<ConstructorParameters<typeof AggTradesClient>[0]> = {}) {
  const limited: number[] = [];
  const c = new AggTradesClient({
    baseUrl: "http://rest.test/",
    get,
    weightLimit: 6000,
    requestTimeoutMs: 1000,
    log: silentLogger,
    onRateLimited: (s) => limited.push(s),
    ...extra,
  });
  return { c, limited };
}

test("a base URL copied with its /api/v3 path asks the same endpoint", async () => {
  for (const baseUrl of ["http://rest.test/api/v3/", "http://rest.test/api"]) {
    const http = fakeHttp([ok(trades(1, 1))]);
    const { c } = client(http.get, { baseUrl });
    assert.equal((await c.page("BTCUSDT", 1, 1000, new AbortController().signal)).length, 1);
  }
});

test("a 429 is waited out for Retry-After seconds, then the request is repeated", async () => {
  const http = fakeHttp([
    { status: 429, headers: { "retry-after": "0.05", "x-mbx-used-weight-1m": "100" }, data: { code: -1003 } },
    ok(trades(5, 2)),
  ]);
  const { c, limited } = client(http.get);
  const t0 = Date.now();
  const page = await c.page("BTCUSDT", 5, 1000, new AbortController().signal);
  assert.ok(Date.now() - t0 >= 45, "waited");
  assert.deepEqual(
    page.map((t) => t.a),
    [5, 6],
  );
  assert.deepEqual(http.calls, [
    { symbol: "BTCUSDT", fromId: 5, limit: 1000 },
    { symbol: "BTCUSDT", fromId: 5, limit: 1000 },
  ]);
  assert.deepEqual(limited, [429]);
});

test("a 418 ban stops this request and every later one until Retry-After has passed", async () => {
  const http = fakeHttp([{ status: 418, headers: { "retry-after": "120" }, data: {} }]);
  const { c, limited } = client(http.get);
  const signal = new AbortController().signal;
  await assert.rejects(c.page("BTCUSDT", 1, 1000, signal), (e: BackfillStop) => e.reason === "banned");
  await assert.rejects(c.page("ETHUSDT", 1, 1000, signal), (e: BackfillStop) => e.reason === "banned");
  assert.equal(http.calls.length, 1, "no request while banned");
  assert.deepEqual(limited, [418]);
});

test("near the weight limit the client waits for the next minute instead of sending", async () => {
  let now = 60_000 * 1000 + 59_990; // 10 ms before a minute ends
  const http = fakeHttp([ok(trades(1, 1), 5998), ok(trades(2, 1), 4)]);
  const { c } = client(http.get, { weightLimit: 6000, now: () => now });
  const signal = new AbortController().signal;
  await c.page("BTCUSDT", 1, 1000, signal);
  const second = c.page("BTCUSDT", 2, 1000, signal);
  setTimeout(() => (now += 100), 5); // the wait (~60 ms) spans the minute boundary
  const t0 = Date.now();
  await second;
  assert.ok(Date.now() - t0 >= 40, "waited for the next minute");
  assert.equal(http.calls.length, 2);
});

test("network errors, HTTP errors and bad bodies end the page with a reason, never a crash", async () => {
  const signal = new AbortController().signal;
  const cases: Array<[HttpResponse | Error, string]> = [
    [new Error("ECONNREFUSED"), "network"],
    [{ status: 500, headers: {}, data: "oops" }, "http_error"],
    [ok({ not: "a list" }), "bad_response"],
    [ok([{ a: "x" }]), "bad_response"],
  ];
  for (const [answer, reason] of cases) {
    const { c } = client(fakeHttp([answer]).get);
    await assert.rejects(c.page("BTCUSDT", 1, 1000, signal), (e: BackfillStop) => e.reason === reason);
  }
});

test("a cancelled backfill stops waiting on Retry-After", async () => {
  const http = fakeHttp([{ status: 429, headers: { "retry-after": "30" }, data: {} }]);
  const { c } = client(http.get);
  const ctl = new AbortController();
  const p = c.page("BTCUSDT", 1, 1000, ctl.signal);
  setTimeout(() => ctl.abort(), 20);
  await assert.rejects(p, (e: BackfillStop) => e.reason === "aborted");
});
