// How fast this machine is right now, on one core: JSON.parse of the benchmarks' own
// ticker messages, for about a second. On a shared virtual machine this moves by tens
// of percent from one minute to the next (seen here: 250,000 to 440,000 parses/s), and
// every other number of `npm run bench` moves with it; print it beside them.
import { tickerMessages } from "./ticker-messages.mjs";

export function calibrate({ ms = 1000 } = {}) {
  const { message } = tickerMessages({ symbols: 200 });
  const bufs = Array.from({ length: 5000 }, (_, i) => Buffer.from(message(i)));
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (const b of bufs) sink += JSON.parse(b.toString("utf8")).data.E & 1;
    n += bufs.length;
  }
  if (sink < 0) throw new Error("unreachable");
  return Math.round(n / ((performance.now() - t0) / 1000));
}
