/**
 * `BENCH_QUICK=1 npm run bench` runs every side-by-side contender on small inputs (about a
 * minute). The figures are not judged here (speed is only a ratio within one run, and a
 * test run shares the machine); what is checked is that the harness still runs every
 * contender to the end, so the benchmark cannot rot between the runs that measure.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../support/service-process.js";

interface Contender {
  readonly name: string;
  readonly eventsPerSecond: number;
  readonly cpuSecondsPerMillion: number;
  readonly peakRssMb: number;
}
interface Run {
  readonly contender: string;
  readonly complete: boolean;
}
interface Comparison {
  readonly contenders: Record<string, Contender>;
  readonly runs: Run[];
}

test("the quick benchmark runs every contender side by side and prints one document", { timeout: 600_000 }, () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/bench.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BENCH_QUICK: "1" },
    timeout: 540_000,
    maxBuffer: 64 * 2 ** 20,
  });
  assert.equal(r.status, 0, `bench exited ${r.status} ${r.signal ?? ""}\n${r.stderr.slice(-3000)}`);
  const doc = JSON.parse(r.stdout) as Record<string, unknown> & {
    goals: { comparison: string; ratio?: number; peakRssMb?: number }[];
  };
  assert.equal(doc.quick, true);
  assert.equal(doc.judged, false);
  const expected: Record<string, string[]> = {
    zmq: ["python", "naive", "oursSingleFrame", "oursMultipart", "oursSingleFrameMainThread"],
    kafka: ["python", "ours"],
    twitter: ["python", "ours"],
  };
  for (const [part, names] of Object.entries(expected)) {
    const c = doc[part] as Comparison | undefined;
    assert.ok(c, `no ${part} comparison in the document`);
    for (const name of names) {
      const got = c.contenders[name];
      assert.ok(got, `${part}: contender ${name} missing`);
      assert.ok(got.eventsPerSecond > 0, `${part}/${name}: no rate`);
      assert.ok(got.cpuSecondsPerMillion > 0 && got.peakRssMb > 0, `${part}/${name}: no CPU or RSS figure`);
    }
    const unfinished = c.runs.filter((run) => !run.complete).map((run) => run.contender);
    assert.deepEqual(unfinished, [], `${part}: runs that did not finish`);
  }
  assert.ok(doc.goals.length >= 6, "fewer goals than the issue sets");
  // Speed goals carry a ratio, memory goals a peak RSS over the long run.
  for (const g of doc.goals) {
    const figure = g.ratio ?? g.peakRssMb;
    assert.ok(figure !== undefined && Number.isFinite(figure) && figure > 0, `${g.comparison}: no figure`);
  }
  const ratios = doc.goals.filter((g) => g.ratio !== undefined);
  assert.ok(ratios.length >= 5, "fewer speed ratios than the issue sets");
  console.log(`# quick bench ratios (not judged): ${ratios.map((g) => `${g.comparison} ${g.ratio}`).join("; ")}`);
});
