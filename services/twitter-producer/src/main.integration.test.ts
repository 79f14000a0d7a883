/**
 * Runs the real service process (dist/main.js) against a small Twitter-like
 * HTTP server on 127.0.0.1 written here, with a ZeroMQ PULL socket as the
 * consumer. Covers: idling (healthy, exit 0 on stop) without a token, pickled whole responses on
 * the wire, pagination, 429, since_id persisted across a restart, 401 logged
 * once, /healthz, and fast graceful stops.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import { pickleCodec } from "./codec.js";

const MAIN = fileURLToPath(new URL("./main.js", import.meta.url));
const TOKEN = "AAAAe2e-token-ZZZZ9876543210";

interface Running {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>;
  waitFor(pred: (rec: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startService(env: Record<string, string>): Running {
  // Only what is given here: no token or transport settings leak in from the caller's environment.
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HEALTH_PORT: "0",
      HEALTH_HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buf = "";
  const waiters = new Set<() => void>();
  child.stdout!.on("data", (chunk: Buffer) => {
    buf += chunk.toString("utf8");
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const w of waiters) w();
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve) =>
    child.on("exit", (code, signal) => {
      if (stderr.trim() !== "") lines.push(JSON.stringify({ stderr }));
      for (const w of waiters) w();
      resolve({ code, signal });
    }),
  );
  const parse = (l: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  return {
    child,
    lines,
    exited,
    waitFor(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const l of lines) {
            const rec = parse(l);
            if (rec && pred(rec)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(rec);
              return true;
            }
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for a log line; got:\n${lines.join("\n")}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A recent-search endpoint whose behaviour each test scripts request by request. */
interface SeenRequest {
  readonly params: Record<string, string>;
  readonly auth: string | undefined;
}
type Reply = (seen: SeenRequest) => { status: number; headers?: Record<string, string>; body?: string } | "hang";

async function fakeTwitter(reply: Reply) {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    if (u.pathname !== "/2/tweets/search/recent") return void res.writeHead(404).end();
    const s = {
      params: Object.fromEntries(u.searchParams),
      auth: req.headers.authorization,
    };
    seen.push(s);
    const r = reply(s);
    if (r === "hang") return;
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers }).end(r.body ?? "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function searchBody(ids: number[], next?: string): string {
  return JSON.stringify({
    data: ids.map((id) => ({
      id: String(id),
      text: `#btc tweet ${id} — “quoted” ünïcode 🚀`,
      created_at: new Date(Date.UTC(2024, 4, 1, 12, 0, id % 60)).toISOString(),
      author_id: "42",
      lang: "en",
      public_metrics: {
        retweet_count: 1,
        reply_count: 0,
        like_count: id % 7,
        quote_count: 0,
      },
      edit_history_tweet_ids: [String(id)],
    })),
    meta: {
      result_count: ids.length,
      ...(ids.length ? { newest_id: String(ids[0]), oldest_id: String(ids[ids.length - 1]) } : {}),
      ...(next ? { next_token: next } : {}),
    },
  });
}

async function stopAndMeasure(r: Running): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  r.child.kill("SIGTERM");
  const { code } = await r.exited;
  return { code, ms: Date.now() - t0 };
}

test("without TWITTER_BEARER_TOKEN the service logs how to enable it once, stays idle and healthy, and stops with 0", async () => {
  const r = startService({});
  const started = await r.waitFor((l) => l.msg === "started");
  const idle = r.lines.filter((l) => /TWITTER_BEARER_TOKEN is not set/.test(l));
  assert.equal(idle.length, 1, r.lines.join("\n"));
  assert.match(idle[0]!, /export TWITTER_BEARER_TOKEN=/);
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(r.child.exitCode, null, "still running");
  const health = await fetch(`http://127.0.0.1:${started.healthPort as number}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { phase: string }).phase, "idle");
  const { code } = await stopAndMeasure(r);
  assert.equal(code, 0);
  assert.ok(
    r.lines.every((l) => JSON.parse(l)),
    "stdout holds only JSON log lines",
  );
});

test("publishes whole responses, pickled, over ZeroMQ; follows pagination; survives 429; since_id persists across a restart; 401 logged once", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "twitter-producer-e2e-"));
  const statePath = path.join(dir, "state", "twitter.state.json");
  const zmqPort = await freePort();
  let mode: "normal" | "unauthorized" | "hang" = "normal";
  const bodies: string[] = [];
  const api = await fakeTwitter(({ params }) => {
    if (mode === "unauthorized")
      return {
        status: 401,
        body: '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}',
      };
    if (mode === "hang") return "hang";
    const n = api.seen.length;
    let body: string;
    if (n === 1)
      body = searchBody([1005, 1004], "older-ignored"); // first poll: newest page only
    else if (n === 2)
      return {
        status: 429,
        headers: {
          "x-rate-limit-remaining": "0",
          "x-rate-limit-reset": String(Math.ceil(Date.now() / 1000)),
        },
      };
    else if (params.since_id === "1005" && !params.next_token) body = searchBody([1010, 1009], "page2");
    else if (params.since_id === "1005" && params.next_token === "page2") body = searchBody([1008, 1007]);
    else body = searchBody([]);
    bodies.push(body);
    return {
      status: 200,
      headers: {
        "x-rate-limit-remaining": "100",
        "x-rate-limit-reset": "9999999999",
      },
      body,
    };
  });
  const pull = new zmq.Pull({ linger: 0 });
  pull.connect(`tcp://127.0.0.1:${zmqPort}`);
  const env = {
    TWITTER_BEARER_TOKEN: TOKEN,
    TWITTER_API_URL: api.url,
    TWITTER_POLL_SECONDS: "0.2",
    TWITTER_STATE_PATH: statePath,
    TWITTER_AUTH_RETRY_SECONDS: "0.1",
    TWITTER_TIMEOUT_MS: "60000",
    ZMQ_BIND: `tcp://127.0.0.1:${zmqPort}`,
    LOG_LEVEL: "debug",
  };
  const first = startService(env);
  const second: Running[] = [];
  t.after(async () => {
    for (const r of [first, ...second]) if (r.child.exitCode === null) r.child.kill("SIGKILL");
    pull.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Three non-empty responses: first poll, then two pages after the 429.
  const received: unknown[] = [];
  const t0 = Date.now();
  while (received.length < 3) {
    const [frame] = await Promise.race([
      pull.receive(),
      new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error(`no message; log:\n${first.lines.join("\n")}`)), 10_000),
      ),
    ]);
    received.push(pickleCodec.decode(frame!));
    if (received.length === 1) {
      // Python's own pickle is the reference decoder.
      const py = spawnSync(
        "/usr/bin/python3",
        ["-c", "import sys,pickle,json; print(json.dumps(pickle.loads(sys.stdin.buffer.read()), ensure_ascii=False))"],
        {
          input: frame,
        },
      );
      if (py.error)
        t.diagnostic(`python3 not runnable (${py.error.message}); pickle checked with pickleCodec.decode only`);
      else assert.deepEqual(JSON.parse(py.stdout.toString("utf8")), JSON.parse(bodies[0]!), py.stderr.toString());
    }
  }
  const elapsedMs = Date.now() - t0;
  t.diagnostic(`3 responses received in ${elapsedMs} ms (includes one 429 wait)`);
  assert.deepEqual(
    received,
    // A poll's pages go out oldest page first, so that no on-time tweet reaches the processor after a newer one.
    [JSON.parse(bodies[0]!), JSON.parse(bodies[2]!), JSON.parse(bodies[1]!)],
    "whole bodies, meta included, oldest page first",
  );

  // since_id = first page's newest_id, saved only once both pages were published.
  await first.waitFor((l) => l.msg === "poll published" && l.sinceId === "1010");
  await first.waitFor(
    (l) => l.msg === "poll found no new tweets" || l.msg === "no new tweets; empty response not published",
  );
  assert.equal(JSON.parse(await readFile(statePath, "utf8")).sinceId, "1010");
  const params = api.seen.map((s) => [s.params.since_id ?? "-", s.params.next_token ?? "-"].join("/"));
  // first poll (no since_id, next_token not followed), the 429, its retry (same request), page 2, next poll.
  assert.deepEqual(params.slice(0, 5), ["-/-", "1005/-", "1005/-", "1005/page2", "1010/-"]);
  assert.ok(api.seen.every((s) => s.auth === `Bearer ${TOKEN}`));
  assert.equal(api.seen[0]!.params.query, "(bitcoin OR btc OR ethereum OR eth OR crypto) lang:en -is:retweet");
  assert.equal(api.seen[0]!.params.max_results, "100");
  assert.equal(api.seen[0]!.params["tweet.fields"], "created_at,author_id,lang,public_metrics");
  await first.waitFor((l) => l.msg === "started");

  const stop1 = await stopAndMeasure(first);
  t.diagnostic(`graceful stop while polling took ${stop1.ms} ms`);
  assert.equal(stop1.code, 0);
  assert.ok(stop1.ms < 3000, `stop took ${stop1.ms} ms`);

  // Restart: the first request carries the stored since_id. The API now rejects the token.
  mode = "unauthorized";
  const before = api.seen.length;
  const r2 = startService(env);
  second.push(r2);
  const started = await r2.waitFor((l) => l.msg === "started");
  await r2.waitFor((l) => l.msg === "resuming after the stored since_id" && l.sinceId === "1010");
  while (api.seen.length < before + 6) await new Promise((r) => setTimeout(r, 50));
  assert.equal(api.seen[before]!.params.since_id, "1010");
  const authLines = r2.lines.filter((l) => l.includes("rejected the bearer token"));
  const authErrors = authLines.filter((l) => JSON.parse(l).level === "error");
  assert.equal(
    authErrors.length,
    1,
    `one error line for ${api.seen.length - before} rejected calls:\n${authLines.join("\n")}`,
  );
  assert.match(authErrors[0]!, /Twitter API rejected the bearer token \(401\): check TWITTER_BEARER_TOKEN/);

  // /healthz reports the rejected token.
  const health = await fetch(`http://127.0.0.1:${String(started.healthPort)}/healthz`);
  assert.equal(health.status, 503);
  assert.equal(((await health.json()) as { phase: string }).phase, "auth_error");
  const metrics = await (await fetch(`http://127.0.0.1:${String(started.healthPort)}/metrics`)).text();
  assert.match(metrics, /pipeline_rejects_total\{reason="auth"\} \d+/);

  // A request that hangs (60 s timeout) is cancelled by the stop.
  mode = "hang";
  const hangAt = api.seen.length;
  while (api.seen.length === hangAt) await new Promise((r) => setTimeout(r, 20));
  const stop2 = await stopAndMeasure(r2);
  t.diagnostic(`graceful stop with a pending request took ${stop2.ms} ms`);
  assert.equal(stop2.code, 0);
  assert.ok(stop2.ms < 3000, `stop took ${stop2.ms} ms`);

  for (const r of [first, r2]) {
    const all = r.lines.join("\n");
    assert.ok(!all.includes(TOKEN), "token in the log");
    assert.ok(!all.includes("<redacted>"), "something tried to log the token");
  }
});

test("stop while no consumer is connected: the hanging publish is given up within the grace time and since_id is not saved", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "twitter-producer-e2e-"));
  const statePath = path.join(dir, "twitter.state.json");
  const api = await fakeTwitter(() => ({
    status: 200,
    body: searchBody([2002, 2001]),
  }));
  const r = startService({
    TWITTER_BEARER_TOKEN: TOKEN,
    TWITTER_API_URL: api.url,
    TWITTER_STATE_PATH: statePath,
    ZMQ_BIND: `tcp://127.0.0.1:${await freePort()}`,
  });
  t.after(async () => {
    if (r.child.exitCode === null) r.child.kill("SIGKILL");
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });
  await r.waitFor((l) => l.msg === "started");
  while (api.seen.length === 0) await new Promise((res) => setTimeout(res, 20));
  await new Promise((res) => setTimeout(res, 200));
  const stop = await stopAndMeasure(r);
  t.diagnostic(`graceful stop with a blocked publish took ${stop.ms} ms`);
  assert.equal(stop.code, 0, r.lines.join("\n"));
  assert.ok(stop.ms < 6000, `stop took ${stop.ms} ms`);
  await assert.rejects(
    readFile(statePath, "utf8"),
    { code: "ENOENT" },
    "since_id must not be saved for an unpublished response",
  );
});
