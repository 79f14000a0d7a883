import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortError, type SearchClient, type SearchResult } from "@cryptostream/twitter-producer/search-client";
import { FakeClock, empty, harness, page, parsed } from "./fakes.js";

const serverError = (status = 503): SearchResult => ({
  kind: "serverError",
  status,
  rate: {},
});
const auth = (status: 401 | 403): SearchResult => ({
  kind: "authError",
  status,
  rate: {},
  detail: "Unauthorized",
});

test("first poll (no since_id) publishes the newest page only, then polls with since_id", async () => {
  const h = harness([page(["105", "104"], { next: "older" }), empty()]);
  await h.runToEnd();
  assert.deepEqual(h.client.requests, [
    { sinceId: undefined, nextToken: undefined },
    { sinceId: "105", nextToken: undefined },
  ]);
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["105"],
  );
  // The whole body travels, meta included.
  assert.deepEqual(h.sent[0]!.body.meta, {
    result_count: 2,
    newest_id: "105",
    oldest_id: "104",
    next_token: "older",
  });
  assert.deepEqual(h.saves, [{ sinceId: "105", sentBefore: 1 }], "since_id saved only after the publish");
  assert.equal(h.metrics.messagesIn.total(), 2);
  assert.equal(h.metrics.messagesOut.total(), 1);
  assert.equal(h.metrics.lastEventTime.get(), Date.parse("2024-05-01T12:00:00Z") / 1000);
  assert.equal(h.clock.sleeps[0], 10_000, "next poll one interval later");
});

test("pagination: every page fetched with the same since_id, published oldest first; since_id becomes the FIRST page's newest_id after the last page", async () => {
  const h = harness(
    [page(["130", "129"], { next: "A" }), page(["120", "119"], { next: "B" }), page(["110"]), empty()],
    {
      initialSinceId: "100",
    },
  );
  await h.runToEnd();
  assert.deepEqual(h.client.requests, [
    { sinceId: "100", nextToken: undefined },
    { sinceId: "100", nextToken: "A" },
    { sinceId: "100", nextToken: "B" },
    { sinceId: "130", nextToken: undefined },
  ]);
  // Oldest page first, so the processor's windows never see a newer page before an older one.
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["110", "120", "130"],
  );
  assert.deepEqual(h.saves, [{ sinceId: "130", sentBefore: 3 }]);
  assert.equal(h.metrics.messagesIn.total(), 5);
});

test("a failure mid-pagination retries the same page; since_id does not move until all pages are out", async () => {
  const h = harness([page(["130"], { next: "A" }), serverError(), page(["120"]), empty()], { initialSinceId: "100" });
  await h.runToEnd();
  assert.deepEqual(h.client.requests.slice(0, 3), [
    { sinceId: "100", nextToken: undefined },
    { sinceId: "100", nextToken: "A" },
    { sinceId: "100", nextToken: "A" },
  ]);
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["120", "130"],
  );
  assert.deepEqual(h.saves, [{ sinceId: "130", sentBefore: 2 }]);
});

test("a backlog longer than maxHeldPages goes out in runs of that many pages, each oldest first", async () => {
  const h = harness(
    [page(["140"], { next: "A" }), page(["130"], { next: "B" }), page(["120"], { next: "C" }), page(["110"])],
    {
      initialSinceId: "100",
      maxHeldPages: 2,
    },
  );
  await h.runToEnd();
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["130", "140", "110", "120"],
  );
  assert.deepEqual(h.saves, [{ sinceId: "140", sentBefore: 4 }]);
});

test("stop between pages publishes nothing of the poll and leaves since_id unsaved (the next start re-fetches it)", async () => {
  let stop: () => Promise<void> = async () => undefined;
  let stopped: Promise<void> | undefined;
  const pages = [page(["130"], { next: "A" }), page(["120"])];
  let calls = 0;
  const client: SearchClient = {
    search: async (_req, signal) => {
      if (++calls === 2) {
        stopped = stop(); // stop requested while the second page is fetched: the request is cancelled
        if (signal.aborted) throw new AbortError();
      }
      return pages[calls - 1]!;
    },
  };
  const h = harness([], { initialSinceId: "100", client });
  stop = () => h.poller.stop();
  await h.poller.start();
  await stopped;
  assert.deepEqual(h.sent, [], "the pages are held until the poll has them all");
  assert.deepEqual(h.saves, []);
});

test("responses with result_count 0 are not published (debug line says so) and since_id stays", async () => {
  const h = harness([empty(), empty()], { initialSinceId: "100" });
  await h.runToEnd();
  assert.equal(h.sent.length, 0);
  assert.deepEqual(h.saves, []);
  assert.deepEqual(
    h.client.requests.map((r) => r.sinceId),
    ["100", "100"],
  );
  assert.ok(parsed(h.lines).some((l) => l.level === "debug" && /not published/.test(l.msg)));
});

test("429 with x-rate-limit-reset: waits until the reset (+1 s margin) and retries the same request; nothing lost", async () => {
  const clock = new FakeClock();
  const resetAtMs = clock.t + 30_000;
  const h = harness([{ kind: "rateLimited", status: 429, rate: { remaining: 0, resetAtMs } }, page(["150"]), empty()], {
    initialSinceId: "100",
    clock,
  });
  await h.runToEnd();
  assert.equal(h.clock.sleeps[0], 31_000);
  assert.deepEqual(h.client.requests.slice(0, 2), [
    { sinceId: "100", nextToken: undefined },
    { sinceId: "100", nextToken: undefined },
  ]);
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["150"],
  );
  assert.deepEqual(
    h.saves.map((s) => s.sinceId),
    ["150"],
  );
  assert.equal(h.metrics.rejects.get({ reason: "rate_limited" }), 1);
  assert.equal(h.metrics.reconnects.total(), 1);
});

test("429 without a reset header backs off exponentially", async () => {
  const r429: SearchResult = { kind: "rateLimited", status: 429, rate: {} };
  const h = harness([r429, r429, page(["150"])]);
  await h.runToEnd();
  assert.deepEqual(h.clock.sleeps.slice(0, 2), [750, 1500]);
});

test("a used-up window (remaining 0) on success delays the next call until the reset", async () => {
  const clock = new FakeClock();
  const h = harness([page(["150"], { rate: { remaining: 0, resetAtMs: clock.t + 300_000 } }), empty()], { clock });
  await h.runToEnd();
  assert.equal(h.clock.sleeps[0], 301_000, "not the 10 s poll interval");
});

test("remaining 0 mid-pagination waits before fetching the next page", async () => {
  const clock = new FakeClock();
  const h = harness(
    [
      page(["130"], {
        next: "A",
        rate: { remaining: 0, resetAtMs: clock.t + 60_000 },
      }),
      page(["120"]),
      empty(),
    ],
    { clock, initialSinceId: "100" },
  );
  await h.runToEnd();
  assert.equal(h.clock.sleeps[0], 61_000);
  assert.deepEqual(h.client.requests[1], { sinceId: "100", nextToken: "A" });
  assert.deepEqual(
    h.saves.map((s) => s.sinceId),
    ["130"],
  );
});

test("5xx and network errors: exponential backoff with jitter, capped; one warn line per problem", async () => {
  const net: SearchResult = {
    kind: "networkError",
    code: "ETIMEDOUT",
    message: "timeout of 10000ms exceeded",
  };
  const h = harness([serverError(), serverError(), serverError(), serverError(), net, page(["150"])], {
    backoff: { baseMs: 1000, capMs: 5000 },
  });
  await h.runToEnd();
  // random() is 0.5: 0.75 x min(cap, 1000 x 2^attempt); the cap bounds the whole delay.
  assert.deepEqual(h.clock.sleeps.slice(0, 5), [750, 1500, 3000, 3750, 3750]);
  const warns = parsed(h.lines).filter((l) => l.level === "warn");
  assert.deepEqual(
    warns.map((l) => l.msg),
    ["Twitter API server error (503); retrying with backoff", "Twitter API unreachable; retrying with backoff"],
  );
  assert.equal(h.metrics.rejects.get({ reason: "server_error" }), 4);
  assert.equal(h.metrics.rejects.get({ reason: "network_error" }), 1);
  assert.equal(h.metrics.reconnects.total(), 5);
  assert.ok(parsed(h.lines).some((l) => l.level === "info" && l.msg === "Twitter API calls succeed again"));
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["150"],
  );
});

test("401 is logged ONCE while it repeats, retried every authRetryMs, logged again when the status changes", async () => {
  const h = harness([auth(401), auth(401), auth(401), auth(403), auth(403), page(["150"])], { authRetryMs: 60_000 });
  await h.runToEnd();
  const errors = parsed(h.lines).filter((l) => l.level === "error");
  assert.deepEqual(
    errors.map((l) => l.msg),
    [
      "Twitter API rejected the bearer token (401): check TWITTER_BEARER_TOKEN",
      "Twitter API rejected the bearer token (403): check TWITTER_BEARER_TOKEN",
    ],
  );
  assert.deepEqual(h.clock.sleeps.slice(0, 5), [60_000, 60_000, 60_000, 60_000, 60_000]);
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["150"],
  );
  assert.equal(h.metrics.rejects.get({ reason: "auth" }), 5);
});

test("the poller reports auth_error while the token is rejected", async () => {
  const h = harness([auth(401)]);
  const done = h.poller.start();
  await h.client.exhausted;
  // The second call is pending: the poller is still in the auth_error state set after the first.
  assert.equal(h.poller.status().lastProblem, "auth:401");
  assert.equal(h.poller.status().phase, "auth_error", "a retry in flight does not hide the auth error");
  await h.poller.stop();
  await done;
  assert.equal(h.poller.status().phase, "stopped");
});

test("400 naming since_id (outside the search window): continue from the newest page without since_id", async () => {
  const bad: SearchResult = {
    kind: "clientError",
    status: 400,
    rate: {},
    invalidParams: ["since_id"],
    detail: "Invalid Request",
  };
  const h = harness([bad, page(["900"], { next: "X" }), empty()], {
    initialSinceId: "100",
  });
  await h.runToEnd();
  assert.deepEqual(h.client.requests, [
    { sinceId: "100", nextToken: undefined },
    { sinceId: undefined, nextToken: undefined },
    { sinceId: "900", nextToken: undefined },
  ]);
  assert.deepEqual(
    h.saves.map((s) => s.sinceId),
    ["900"],
  );
});

test("other 4xx: one error line, slow retry, since_id kept", async () => {
  const bad: SearchResult = {
    kind: "clientError",
    status: 400,
    rate: {},
    invalidParams: ["query"],
    detail: "Invalid Request",
  };
  const h = harness([bad, bad, page(["150"])], {
    initialSinceId: "100",
    authRetryMs: 60_000,
  });
  await h.runToEnd();
  assert.equal(parsed(h.lines).filter((l) => l.level === "error").length, 1);
  assert.deepEqual(h.clock.sleeps.slice(0, 2), [60_000, 60_000]);
  assert.deepEqual(
    h.client.requests.map((r) => r.sinceId),
    ["100", "100", "100"],
  );
});

test("a publish the transport refuses is retried (not re-fetched) and since_id waits for it", async () => {
  let calls = 0;
  const keys: string[] = [];
  const h = harness([page(["150"]), empty()], {
    send: async (key) => {
      calls += 1;
      if (calls === 1) throw new Error("broker unavailable");
      keys.push(key);
      h.sent.push({ key, body: { meta: { result_count: 1 } } });
    },
  });
  await h.runToEnd();
  assert.equal(calls, 2);
  assert.deepEqual(keys, ["150"]);
  assert.equal(h.client.requests.length, 2, "the response was not fetched again");
  assert.deepEqual(h.saves, [{ sinceId: "150", sentBefore: 1 }]);
  assert.equal(h.metrics.rejects.get({ reason: "publish_failed" }), 1);
});

test("stop while a publish hangs (no consumer): gives up after the grace time without saving since_id", async () => {
  const h = harness([page(["150"])], {
    send: () => new Promise<void>(() => undefined),
    publishGraceMs: 3000,
  });
  const done = h.poller.start();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  await h.poller.stop();
  await done;
  assert.deepEqual(h.saves, []);
  assert.deepEqual(h.clock.sleeps, [3000], "waited exactly the grace time");
});

test("stop while a publish is in flight: a publish finishing within the grace time still saves since_id", async () => {
  let finish!: () => void;
  const h = harness([page(["150"])], {
    send: () =>
      new Promise<void>((r) => {
        finish = () => {
          h.sent.push({ key: "150", body: { meta: { result_count: 1 } } });
          r();
        };
      }),
    publishGraceMs: 3000,
    // A clock whose grace sleep never ends by itself: the publish must win.
    clock: Object.assign(new FakeClock(), {
      sleep: (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((_, reject) => {
          if (signal?.aborted) reject(new AbortError());
          signal?.addEventListener("abort", () => reject(new AbortError()));
        }),
    }),
  });
  const done = h.poller.start();
  while (!finish) await new Promise((r) => setImmediate(r));
  const stopping = h.poller.stop();
  finish();
  await stopping;
  await done;
  assert.deepEqual(h.saves, [{ sinceId: "150", sentBefore: 1 }]);
});

test("a response that cannot be encoded is skipped with an error line; the poll still completes", async () => {
  // The test encoder is JSON.stringify, which throws on a BigInt.
  const bad = page(["160"]);
  if (bad.kind === "ok") (bad.body as unknown as { meta: Record<string, unknown> }).meta.extra = 10n;
  const h = harness([bad, empty()]);
  await h.runToEnd();
  assert.equal(h.sent.length, 0);
  assert.deepEqual(
    h.saves.map((s) => s.sinceId),
    ["160"],
    "retrying could never succeed, so the poll moves on",
  );
  assert.equal(h.metrics.rejects.get({ reason: "encode_failed" }), 1);
  assert.ok(parsed(h.lines).some((l) => l.level === "error" && /cannot encode/.test(l.msg)));
});

test("400 naming next_token: restart the poll from its first page (once at once, then slowly)", async () => {
  const badToken: SearchResult = {
    kind: "clientError",
    status: 400,
    rate: {},
    invalidParams: ["next_token"],
  };
  const h = harness(
    [
      page(["130"], { next: "A" }),
      badToken,
      page(["131"], { next: "B" }),
      badToken,
      page(["131"], { next: "C" }),
      page(["120"]),
      empty(),
    ],
    { initialSinceId: "100", authRetryMs: 60_000 },
  );
  await h.runToEnd();
  assert.deepEqual(
    h.client.requests.map((r) => `${r.sinceId}/${r.nextToken ?? "-"}`),
    ["100/-", "100/A", "100/-", "100/B", "100/-", "100/C", "131/-"],
  );
  assert.equal(h.clock.sleeps[0], 60_000, "the second restart waited");
  assert.deepEqual(
    h.saves.map((s) => s.sinceId),
    ["131"],
    "the newest_id of the restarted first page",
  );
  assert.deepEqual(
    h.sent.map((s) => s.key),
    ["120", "131"],
    "pages of an abandoned pass are dropped, not published twice",
  );
});
