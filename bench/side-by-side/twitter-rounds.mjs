// The twitter comparison: our twitter-processor pipeline against the Python reference
// (pickle, text cleanup, vaderSentiment 3.3.2, h5py), each reading the same pickled
// responses from one file, in interleaved rounds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../../scripts/lib/service-process.mjs";
import { lineProcess } from "./contenders.mjs";
import { measure } from "./measure.mjs";
import { writeTwitterInput } from "./twitter-input.mjs";

const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const VADER_DIR =
  process.env.VADER_REFERENCE_DIR ?? path.join(os.homedir(), ".cache/cryptostream/vadersentiment-3.3.2");

const STARTERS = {
  python: (input, dir) =>
    lineProcess("python reference (pickle, cleanup, vaderSentiment, h5py)", PYTHON, [
      path.join(ROOT, "bench/reference/twitter_processor.py"),
      "--input",
      input,
      "--out",
      path.join(dir, "python.h5"),
      "--site",
      VADER_DIR,
    ]),
  ours: (input, dir, t0) =>
    lineProcess("twitter-processor pipeline", process.execPath, [
      path.join(ROOT, "bench/side-by-side/twitter-ours.mjs"),
      input,
      path.join(dir, "ours.h5"),
      String(t0),
    ]),
};

export async function twitterRounds({ tweets, rounds, log }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sbs-twitter-"));
  try {
    const input = path.join(dir, "responses.bin");
    const { t0 } = await writeTwitterInput(input, { tweets });
    const runs = [];
    for (let r = 0; r < rounds; r++)
      for (const key of ["python", "ours"]) {
        const out = fs.mkdtempSync(path.join(dir, `${key}-`));
        const c = await STARTERS[key](input, out, t0);
        try {
          const m = await measure(c, { events: tweets });
          log(`twitter round ${r + 1} ${key}: ${m.eventsPerSecond} tweets/s, ${m.cpuSecondsPerMillion} CPU s/M`);
          runs.push({ round: r + 1, contender: key, name: c.name, ...m });
        } finally {
          await c.stop();
        }
      }
    return runs;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
