// Binance ingest over ZeroMQ, side by side: in each round every contender in turn
// consumes the same `events` ticker messages from the same load generator
// (bench/ticker-loadgen.mjs, single-frame or multipart), which sends as fast as the
// contender takes them. Rounds interleave (A B C D, A B C D, ...) so a slow phase of
// the shared machine hits every contender alike.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../../scripts/lib/service-process.mjs";
import { naiveNode, ourProcessor, pythonBinanceZmq } from "./contenders.mjs";
import { measure } from "./measure.mjs";

let port = 26_000;

/** The contenders of the ZeroMQ comparison: key -> { frames, start(endpoint, dir) }. */
export const ZMQ_CONTENDERS = {
  python: { frames: 1, start: (ep, dir) => pythonBinanceZmq(ep, path.join(dir, "python.h5")) },
  naive: { frames: 1, start: (ep) => naiveNode(ep) },
  oursSingleFrame: {
    frames: 1,
    start: (ep, dir, nodeArgs) => ourProcessor("binance-processor, single-frame producer", procEnv(ep, dir), nodeArgs),
  },
  oursSingleFrameMainThread: {
    frames: 1,
    start: (ep, dir) =>
      ourProcessor(
        "binance-processor, single-frame producer, socket read on the main thread",
        procEnv(ep, dir, { ZMQ_RECEIVE_THREAD: "main" }),
      ),
  },
  oursSingleFrameWorker: {
    frames: 1,
    start: (ep, dir) =>
      ourProcessor(
        "binance-processor, single-frame producer, socket read by a worker thread",
        procEnv(ep, dir, { ZMQ_RECEIVE_THREAD: "worker" }),
      ),
  },
  oursMultipart: {
    frames: 64,
    start: (ep, dir, nodeArgs) => ourProcessor("binance-processor, multipart producer", procEnv(ep, dir), nodeArgs),
  },
};

const procEnv = (ep, dir, extra = {}) => ({
  ZMQ_CONNECT: ep,
  BINANCE_H5_PATH: path.join(dir, `ours-${port}.h5`),
  ...extra,
});

/** One contender, one load generator, `events` events; returns the measurement. */
export async function runZmqContender(key, { events, symbols = 200, nodeArgs }) {
  const c = ZMQ_CONTENDERS[key];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sbs-"));
  const endpoint = `tcp://127.0.0.1:${port++}`;
  const gen = fork(
    path.join(ROOT, "bench/ticker-loadgen.mjs"),
    [endpoint, String(events), String(symbols), String(c.frames)],
    {
      stdio: "inherit",
    },
  );
  await new Promise((r) => gen.once("message", r)); // bound: the contender connects to it
  const contender = await c.start(endpoint, dir, nodeArgs);
  try {
    return {
      contender: key,
      name: contender.name,
      framesPerMessage: c.frames,
      nodeArgs: nodeArgs ?? [],
      ...(await measure(contender, { events })),
    };
  } finally {
    gen.kill("SIGKILL");
    await contender.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function zmqRounds({ keys, rounds, events, log }) {
  const runs = [];
  for (let r = 0; r < rounds; r++)
    for (const key of keys) {
      const m = await runZmqContender(key, { events });
      log(
        `round ${r + 1} ${key}: ${m.eventsPerSecond} events/s, ${m.cpuSecondsPerMillion} CPU s/M, peak ${m.peakRssMb} MB`,
      );
      runs.push({ round: r + 1, ...m });
    }
  return runs;
}
