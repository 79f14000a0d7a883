// Micro-benchmark: encode + decode of a realistic Twitter recent-search response (100 tweets).
//   node bench/pickle-codec.mjs [seconds-per-measure]
// prints one JSON line; scripts can also import benchPickleCodec(). Rates are per second of
// this process's CPU time (process.cpuUsage), not wall time, so other load on a shared machine
// skews them less; the best and the median of 200 ms rounds are reported.
// Needs `npm run build` first (it imports the compiled codec and the test fixtures).
import { pathToFileURL } from "node:url";
import { decodePickle, encodePickle } from "../services/common/dist/codecs/pickle/index.js";
import { twitterRecentSearchResponse } from "../services/common/test/dist/codecs/pickle/pickle-fixtures.js";

function measure(seconds, work) {
  const rates = [];
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
  return { best: Math.round(rates[rates.length - 1]), median: Math.round(rates[Math.floor(rates.length / 2)]) };
}

export function benchPickleCodec(seconds = 3) {
  const response = twitterRecentSearchResponse(100);
  const pickled = encodePickle(response);
  for (let i = 0; i < 200; i++) decodePickle(encodePickle(response)); // let the JIT settle
  return {
    name: "pickle codec: Twitter recent-search response, 100 tweets",
    pickleBytes: pickled.length,
    jsonBytes: Buffer.byteLength(JSON.stringify(response)),
    encodePerSec: measure(seconds, () => encodePickle(response)),
    decodePerSec: measure(seconds, () => decodePickle(pickled)),
    encodeDecodePerSec: measure(seconds, () => decodePickle(encodePickle(response))),
    jsonStringifyParsePerSec: measure(seconds, () => JSON.parse(JSON.stringify(response))),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(benchPickleCodec(Number(process.argv[2] ?? 3))) + "\n");
}
