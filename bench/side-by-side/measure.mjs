// Measures one contender while it consumes: its own progress count (read four times a
// second), CPU time of the whole process, and RSS (peak, and the mean of the run's second
// half as the steady value). The rate runs from the first event seen to the target count.
import { sleep } from "../../scripts/lib/service-process.mjs";
import { cpuSeconds, rssMb } from "./proc-stats.mjs";

/**
 * contender: { pid, count(): Promise<number>, exited(): boolean }.
 * Stops at `events`, or when the count has not moved for `stallMs` after the first event.
 */
export async function measure(contender, { events, stallMs = 20_000, timeoutMs = 30 * 60_000 }) {
  const samples = [];
  let first;
  let peak = 0;
  let lastMove = performance.now();
  let prev = -1;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await contender.count();
    const now = performance.now();
    const rss = rssMb(contender.pid);
    peak = Math.max(peak, rss || 0);
    if (n > 0 && !first) first = { t: now, n, cpu: cpuSeconds(contender.pid) };
    if (first) samples.push({ t: now, n, rss });
    if (n !== prev) lastMove = now;
    prev = n;
    if (n >= events) break;
    if (contender.exited()) throw new Error(`contender exited at ${n} of ${events} events`);
    if (now > deadline || (first && now - lastMove > stallMs)) break;
    await sleep(250);
  }
  const last = samples.at(-1);
  const cpu = cpuSeconds(contender.pid) - first.cpu;
  const seconds = (last.t - first.t) / 1000;
  const counted = last.n - first.n;
  const half = samples.slice(Math.floor(samples.length / 2));
  return {
    events: last.n,
    complete: last.n >= events,
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(counted / seconds),
    cpuSecondsPerMillion: round((cpu / counted) * 1e6, 2),
    peakRssMb: Math.round(peak),
    steadyRssMb: Math.round(half.reduce((a, s) => a + s.rss, 0) / half.length),
    rssMbEvery5s: samples.filter((_, i) => i % 20 === 0).map((s) => Math.round(s.rss)),
  };
}

export const round = (x, d) => Number(x.toFixed(d));
