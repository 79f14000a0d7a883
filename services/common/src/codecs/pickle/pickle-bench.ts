/**
 * Micro-benchmark: encode + decode of a realistic Twitter recent-search response (100 tweets).
 * Run: node services/common/dist/codecs/pickle/pickle-bench.js [seconds]
 * Prints one JSON line. Rates are per second of this process's CPU time (process.cpuUsage),
 * not wall time, so other load on a shared machine skews them less; best and median of
 * 200 ms rounds are reported.
 */
import { decodePickle, encodePickle } from "./index.js";
import { twitterRecentSearchResponse } from "./test-support.js";

function rounds(seconds: number, work: () => void): { best: number; median: number } {
  const rates: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    let n = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < 200) {
      work();
      n++;
    }
    const used = process.cpuUsage(cpu);
    rates.push(n / ((used.user + used.system) / 1e6));
  }
  rates.sort((a, b) => a - b);
  return { best: Math.round(rates[rates.length - 1]!), median: Math.round(rates[Math.floor(rates.length / 2)]!) };
}

const seconds = Number(process.argv[2] ?? 3);
const response = twitterRecentSearchResponse(100);
const pickled = encodePickle(response);
const json = Buffer.from(JSON.stringify(response, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));

for (let i = 0; i < 200; i++) decodePickle(encodePickle(response)); // warm up the JIT

const result = {
  payload: "twitter recent search, 100 tweets",
  pickleBytes: pickled.length,
  jsonBytes: json.length,
  encodePerSec: rounds(seconds, () => encodePickle(response)),
  decodePerSec: rounds(seconds, () => decodePickle(pickled)),
  encodeDecodePerSec: rounds(seconds, () => decodePickle(encodePickle(response))),
  jsonEncodeDecodePerSec: rounds(seconds, () => JSON.parse(JSON.stringify(response)) as unknown),
};
process.stdout.write(JSON.stringify(result) + "\n");
