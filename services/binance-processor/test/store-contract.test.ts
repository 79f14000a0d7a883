/** The store contract (testkit) on the binance-processor: ticker events across midnight UTC, one symbol. */
import type { Consumer } from "@cryptostream/common";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { storeContract } from "@cryptostream/testkit";
import { TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { specMarketProcessor } from "./spec-processor.js";

storeContract("binance-processor", {
  windowMs: 10_000,
  latenessMs: 2_000,
  async make(file: string, consumer: Consumer, now: () => number) {
    const { p } = await specMarketProcessor(file, consumer, {
      spec: TICKER,
      symbols: ["BTCUSDT"],
      now,
      overrides: { maxFutureSkewMs: 3_600_000 },
    });
    return p;
  },
  event(time: number, offset: number) {
    const c = (100 + (offset % 7)).toFixed(2);
    const data = { e: "24hrTicker", E: time, s: "BTCUSDT", c, b: c, a: c, v: "1", q: "2" };
    const value = Buffer.from(JSON.stringify({ stream: "btcusdt@ticker", data }));
    return { topic: "binance", key: "BTCUSDT", value, partition: 0, offset: String(offset) };
  },
  async counts(files: readonly string[]) {
    const out = new Map<number, number>();
    for (const file of files)
      await withFile(file, (f) => {
        const cols = readColumns(f, "/ticker/BTCUSDT", ["window_start", "count"]);
        cols.get("window_start")!.forEach((w, i) => {
          const start = Number(w);
          out.set(start, (out.get(start) ?? 0) + Number(cols.get("count")![i]));
        });
      });
    return out;
  },
});
