import { addEvent, emptyPartial, type Partial } from "@cryptostream/binance-processor/aggregate/partial";
import { type GroupPartial, groupKey, type MicroBatch } from "@cryptostream/binance-processor/aggregate/micro-batch";

/**
 * Reference reduction of a micro-batch with a plain loop: one partial per
 * (symbol, window), groups in order of first appearance. The DataFrame
 * reduction must agree with it (see reduce-danfo.test.ts).
 */
export function reduceWithLoop(batch: MicroBatch): Map<string, GroupPartial<Partial>> {
  const out = new Map<string, GroupPartial<Partial>>();
  const values = new Float64Array(batch.nFields);
  for (let r = 0; r < batch.length; r++) {
    const symbol = batch.symbols[r]!;
    const windowStart = batch.starts[r]!;
    const k = groupKey(symbol, windowStart);
    let g = out.get(k);
    if (!g) {
      g = { symbol, windowStart, partial: emptyPartial(batch.nFields) };
      out.set(k, g);
    }
    for (let i = 0; i < batch.nFields; i++) values[i] = batch.columns[i]![r]!;
    addEvent(g.partial, batch.times[r]!, values);
  }
  return out;
}
