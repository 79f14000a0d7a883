/**
 * Writes a binance.h5 the way the binance-processor lays it out (its own table spec), with
 * `symbols` tables of `windows` complete one-minute windows each: a random walk, for specs
 * that need a large file quickly (the dashboard with 200 symbols and a day of windows).
 */
import { H5Appender } from "@cryptostream/common/hdf5/appender";
import { TICKER } from "@cryptostream/binance-processor/aggregate/spec";
import { marketColumns, marketTableSpec } from "@cryptostream/binance-processor/sink/market-table";

export async function writeMarketFile(
  file: string,
  symbols: number,
  windows: number,
  endMs = Date.now(),
): Promise<string[]> {
  const windowMs = 60_000;
  const start = Math.floor(endMs / windowMs) * windowMs - windows * windowMs;
  const names = Array.from({ length: symbols }, (_, i) => `S${String(i).padStart(3, "0")}USDT`);
  let seed = 7;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const writes = names.map((symbol, s) => {
    const columns = marketColumns(TICKER);
    const cols = new Map<string, Array<number | bigint>>(columns.map((c) => [c.name, []]));
    let price = 10 + s * 3.7;
    for (let w = 0; w < windows; w++) {
      const ws = start + w * windowMs;
      const open = price;
      const close = Math.max(0.01, open * (1 + (rand() - 0.5) * 0.01));
      const high = Math.max(open, close) * (1 + rand() * 0.002);
      const low = Math.min(open, close) * (1 - rand() * 0.002);
      const count = 40 + Math.floor(rand() * 30);
      const mean = (open + close + high + low) / 4;
      const v: Record<string, number> = {
        window_start: ws,
        window_end: ws + windowMs,
        count,
        event_time_first: ws + 5,
        event_time_last: ws + windowMs - 5,
        complete: 1,
        price_first: open,
        price_last: close,
        price_mean: mean,
        price_min: low,
        price_max: high,
        price_sum: mean * count,
        bid_mean: mean * 0.9999,
        bid_sum: mean * 0.9999 * count,
        ask_mean: mean * 1.0001,
        ask_sum: mean * 1.0001 * count,
        volume_last: 1000 + w,
        quote_volume_last: (1000 + w) * mean,
        log_partition: -1,
        log_offset_first: -1,
        log_offset_last: -1,
      };
      for (const c of columns) cols.get(c.name)!.push(c.type === "<i8" ? BigInt(v[c.name]!) : v[c.name]!);
      price = close;
    }
    return { spec: marketTableSpec(TICKER, symbol, 60, 5), data: cols };
  });
  await new H5Appender(file).append(writes);
  return names;
}
