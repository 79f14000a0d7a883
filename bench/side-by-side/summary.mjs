// Turns interleaved runs into the side-by-side document: per contender the median rate,
// CPU seconds per million events and memory; per comparison the ratio of the two rates
// within each round (both ran minutes apart at most), its median, and the goal.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r2 = (x) => Number(x.toFixed(2));

export function contenderSummary(runs) {
  const by = Map.groupBy ? Map.groupBy(runs, (r) => r.contender) : groupBy(runs);
  const out = {};
  for (const [key, rs] of by)
    out[key] = {
      name: rs[0].name,
      rounds: rs.length,
      eventsPerSecond: Math.round(median(rs.map((r) => r.eventsPerSecond))),
      eventsPerSecondEachRound: rs.map((r) => r.eventsPerSecond),
      cpuSecondsPerMillion: r2(median(rs.map((r) => r.cpuSecondsPerMillion))),
      peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)),
      steadyRssMb: Math.round(median(rs.map((r) => r.steadyRssMb))),
    };
  return out;
}

function groupBy(runs) {
  const m = new Map();
  for (const r of runs) m.set(r.contender, [...(m.get(r.contender) ?? []), r]);
  return m;
}

/** ours/reference rate per round, median over rounds, against a goal (a minimum ratio). */
export function ratio(runs, ours, reference, goal) {
  const rounds = [...new Set(runs.map((r) => r.round))];
  const each = rounds
    .map((k) => {
      const a = runs.find((r) => r.round === k && r.contender === ours);
      const b = runs.find((r) => r.round === k && r.contender === reference);
      return a && b ? a.eventsPerSecond / b.eventsPerSecond : NaN;
    })
    .filter((x) => !Number.isNaN(x));
  const m = median(each);
  return { ours, reference, ratio: r2(m), eachRound: each.map(r2), goal, met: m >= goal };
}

/** RSS flatness of one long run: mean of the second quarter against the last quarter. */
export function flatness(run) {
  const xs = run.rssMbEvery5s;
  const q = Math.max(1, Math.floor(xs.length / 4));
  const mean = (ys) => Math.round(ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length));
  return { secondQuarterMb: mean(xs.slice(q, 2 * q)), lastQuarterMb: mean(xs.slice(3 * q)), peakMb: run.peakRssMb };
}
