// The twitter comparison, each contender as it runs in production: our twitter-processor
// service (`node services/twitter-processor/dist/main.js`, its own process, its default
// settings but for ZMQ_CONNECT and TWITTER_H5_PATH: the real clock, its write policy, its
// store) against the Python reference (pyzmq PULL, pickle, a regex cleanup, vaderSentiment
// 3.3.2, h5py appends). ONE Python load generator (twitter-push.py) sends the same pickled
// search responses of 100 tweets to each contender in turn over ZeroMQ PUSH -> PULL, one
// response per single-frame message as the twitter-producer publishes them. Each contender
// is started, ready and connected before the first send; a run lasts from the first send
// until the contender has written every tweet (ours: pipeline_messages_out_total in its
// /metrics reaches the tweets plus the sentiment windows they close; the reference: its
// "done" line, written after its last append). Rounds alternate (python, ours, python, ours).
//   node bench/side-by-side/twitter-rounds.mjs [tweets=50000] [rounds=2]
// BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to our service's node;
// BENCH_TWITTER_ENV (e.g. "SINK_MAX_WRITE_SHARE=1,TWITTER_SCORE_THREAD=main") to its environment, for experiments.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, ServiceProcess, sleep } from "../../scripts/lib/service-process.mjs";
import { cpuSeconds, rssMb } from "./proc-stats.mjs";
import { writeTwitterInput } from "./twitter-input.mjs";

const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const VADER_DIR =
  process.env.VADER_REFERENCE_DIR ?? path.join(os.homedir(), ".cache/cryptostream/vadersentiment-3.3.2");
const dist = (p) => path.join(ROOT, "services", p);
const epochMs = () => performance.timeOrigin + performance.now();
let port = 27_000 + (process.pid % 1000) * 2;

/** A child process that reads commands and answers with lines, one per command; other lines go to onLine. */
function lineChild(cmd, args, onLine = () => {}) {
  const child = spawn(cmd, args, {
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: "8192" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = [];
  let buf = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.findIndex((x) => x.match(line));
      if (w >= 0) waiting.splice(w, 1)[0].resolve(line);
      else onLine(line);
    }
  });
  const exited = new Promise((r) => child.on("exit", r));
  exited.then((code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${cmd} ${args[0]} exited (${code})`));
  });
  return {
    child,
    exited,
    /** The next line for which match(line) is true. */
    next: (match) => new Promise((resolve, reject) => waiting.push({ match, resolve, reject })),
    /** Sends a command; the answer is the next line starting with `answer`. */
    ask(command, answer) {
      const p = this.next((l) => l.startsWith(answer));
      child.stdin.write(command + "\n");
      return p;
    },
  };
}

/** The load generator: one for the whole run. */
function generator(input) {
  const g = lineChild(PYTHON, [path.join(ROOT, "bench/side-by-side/twitter-push.py"), input]);
  return {
    bind: (endpoint) => g.ask(`bind ${endpoint}`, "bound"),
    connected: () => g.ask("wait", "connected"),
    /** Sends every record; epoch ms of the first send. */
    send: async () => Number((await g.ask("send", "sent ")).split(" ")[1]),
    close: () => g.ask("close", "closed"),
    stop: async () => {
      g.child.stdin.end();
      await Promise.race([g.exited, sleep(5_000)]);
      g.child.kill("SIGKILL");
    },
  };
}

/** Contenders: { name, pid, done(): Promise<epoch ms>, stop(), check() }. */
const STARTERS = {
  python: async ({ endpoint, dir, tweets }) => {
    const p = lineChild(PYTHON, [
      path.join(ROOT, "bench/reference/twitter_processor.py"),
      "--zmq",
      endpoint,
      "--tweets",
      String(tweets),
      "--out",
      path.join(dir, "python.h5"),
      "--site",
      VADER_DIR,
    ]);
    const done = p.next((l) => l.startsWith("done "));
    await p.next((l) => l === "ready");
    return {
      name: "python reference (pyzmq PULL, pickle, cleanup, vaderSentiment 3.3.2, h5py)",
      pid: p.child.pid,
      done: async () => Number((await done).split(" ")[1]),
      stop: async () => {
        p.child.kill("SIGKILL");
        await p.exited;
      },
      check: async () => tweets,
    };
  },
  ours: async ({ endpoint, dir, tweets, windows }) => {
    const nodeArgs = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    const file = path.join(dir, "twitter.h5");
    const proc = new ServiceProcess(
      "twitter-processor",
      {
        ...Object.fromEntries(
          (process.env.BENCH_TWITTER_ENV ?? "")
            .split(",")
            .filter(Boolean)
            .map((kv) => kv.split("=")),
        ),
        ZMQ_CONNECT: endpoint,
        TWITTER_H5_PATH: file,
      },
      { stderr: "inherit", nodeArgs },
    );
    await proc.healthPort(60_000);
    await proc.waitForLog((l) => l.msg === "consuming", 60_000);
    // Rows written: every tweet, and the sentiment windows that event time closes on the way.
    const target = tweets + windows;
    return {
      name: "twitter-processor service (ZeroMQ PULL, as shipped)",
      pid: proc.pid,
      done: async () => {
        for (;;) {
          // A kept-alive connection the busy service closes fails one poll (ECONNRESET): the next one reconnects.
          const n = await proc.metric("pipeline_messages_out_total").catch(() => 0);
          if (n >= target) return epochMs();
          if (proc.exitCode !== undefined) throw new Error(`twitter-processor exited (${proc.exitCode})`);
          await sleep(20);
        }
      },
      stop: () => proc.stop("SIGTERM"),
      // After the stop: the tweets the store holds.
      check: async () => {
        const { withFile } = await import(dist("common/dist/hdf5/reader.js"));
        const { resolveStoreFiles } = await import(dist("common/dist/store/layout.js"));
        let n = 0;
        for (const p of resolveStoreFiles(file)) n += (await withFile(p, (f) => f.get("/tweets")?.shape[0] ?? 0)) ?? 0;
        return n;
      },
    };
  },
};

/** Sentiment windows (default WINDOW_SECONDS and ALLOWED_LATENESS_SECONDS) that the input's event time closes. */
async function closedWindows(t0, tweets) {
  const { readEnv } = await import(dist("common/dist/index.js"));
  const { processorEnv } = await import(dist("twitter-processor/dist/config.js"));
  const cfg = readEnv(processorEnv, {});
  const size = cfg.WINDOW_SECONDS * 1000;
  const start = (t) => Math.floor(t / size) * size;
  const last = t0 + (tweets - 1) * 20;
  return Math.max(0, (start(last - cfg.ALLOWED_LATENESS_SECONDS * 1000) - start(t0)) / size);
}

async function runOne(key, gen, { dir, tweets, windows }) {
  const endpoint = `tcp://127.0.0.1:${port++}`;
  const out = fs.mkdtempSync(path.join(dir, `${key}-`));
  await gen.bind(endpoint);
  const c = await STARTERS[key]({ endpoint, dir: out, tweets, windows });
  try {
    await gen.connected();
    const cpu0 = cpuSeconds(c.pid);
    const rss = [];
    const sampler = setInterval(() => rss.push(rssMb(c.pid)), 100);
    const done = c.done();
    const first = await gen.send();
    const end = await done;
    const cpu = cpuSeconds(c.pid) - cpu0;
    clearInterval(sampler);
    await gen.close();
    await c.stop();
    const stored = await c.check();
    if (stored !== tweets) throw new Error(`${c.name}: ${stored} tweets stored of ${tweets}`);
    const seconds = (end - first) / 1000;
    const half = rss.slice(Math.floor(rss.length / 2)).filter(Number.isFinite);
    return {
      contender: key,
      name: c.name,
      events: tweets,
      complete: true,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(tweets / seconds),
      cpuSecondsPerMillion: Number(((cpu / tweets) * 1e6).toFixed(2)),
      cpuCores: Number((cpu / seconds).toFixed(2)),
      peakRssMb: Math.round(Math.max(...rss.filter(Number.isFinite))),
      steadyRssMb: Math.round(half.reduce((a, b) => a + b, 0) / Math.max(1, half.length)),
      rssMbEvery5s: rss.filter((_, i) => i % 50 === 0).map(Math.round),
    };
  } catch (err) {
    await c.stop();
    throw err;
  }
}

export async function twitterRounds({ tweets, rounds, log }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sbs-twitter-"));
  let gen;
  try {
    const input = path.join(dir, "responses.bin");
    const { t0 } = await writeTwitterInput(input, { tweets });
    const windows = await closedWindows(t0, tweets);
    gen = generator(input);
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const rate = {};
      for (const key of ["python", "ours"]) {
        const m = await runOne(key, gen, { dir, tweets, windows });
        rate[key] = m.eventsPerSecond;
        log(
          `twitter round ${r + 1} ${key}: ${m.eventsPerSecond} tweets/s (${m.seconds} s), ` +
            `${m.cpuSecondsPerMillion} CPU s/M (${m.cpuCores} cores), peak ${m.peakRssMb} MB`,
        );
        runs.push({ round: r + 1, ...m });
      }
      log(`twitter round ${r + 1}: ours/python ${(rate.ours / rate.python).toFixed(2)}x`);
    }
    return runs;
  } finally {
    await gen?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = await twitterRounds({
    tweets: Number(process.argv[2] ?? 50_000),
    rounds: Number(process.argv[3] ?? 2),
    log: (s) => console.log(s),
  });
  const { contenderSummary, ratio } = await import("./summary.mjs");
  const s = contenderSummary(runs);
  for (const [k, v] of Object.entries(s))
    console.log(`${k}: median ${v.eventsPerSecond} tweets/s`, v.eventsPerSecondEachRound);
  console.log(JSON.stringify(ratio(runs, "ours", "python", 2)));
}
