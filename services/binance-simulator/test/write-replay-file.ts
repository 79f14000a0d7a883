/**
 * Command line for replay fixtures:
 *   node dist/write-replay-file.js OUT.jsonl --events 1000 [--symbols btcusdt,ethusdt]
 *     [--stream ticker|aggTrade|ticker,aggTrade] [--start-time-ms N] [--step-ms N] [--seed N]
 *     [--out-of-order-every N] [--out-of-order-lag-ms N] [--malformed-every N]
 * Prints a one-line JSON summary (counts) on stdout.
 */

import { parseArgs } from "node:util";
import { isEntryPoint } from "@cryptostream/binance-simulator/entry-point";
import { writeReplayFile } from "./replay-fixture.js";
import { isProducedKind, type StreamKind } from "@cryptostream/binance-simulator/streams";

function intArg(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

export async function cli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: "string" },
      symbols: { type: "string" },
      stream: { type: "string" },
      "start-time-ms": { type: "string" },
      "step-ms": { type: "string" },
      seed: { type: "string" },
      "out-of-order-every": { type: "string" },
      "out-of-order-lag-ms": { type: "string" },
      "malformed-every": { type: "string" },
    },
  });
  const out = positionals[0];
  if (!out) throw new Error("usage: write-replay-file OUT.jsonl --events N [options]");
  const streams = (values.stream ?? "ticker").split(",");
  if (!streams.every(isProducedKind)) throw new Error("--stream must be ticker, aggTrade or both comma-separated");
  const fixture = await writeReplayFile(out, {
    events: intArg(values, "events") ?? 1000,
    ...(values.symbols ? { symbols: values.symbols.split(",") } : {}),
    stream: streams as StreamKind[],
    startTimeMs: intArg(values, "start-time-ms"),
    stepMs: intArg(values, "step-ms"),
    seed: intArg(values, "seed"),
    outOfOrderEvery: intArg(values, "out-of-order-every"),
    outOfOrderLagMs: intArg(values, "out-of-order-lag-ms"),
    malformedEvery: intArg(values, "malformed-every"),
  });
  process.stdout.write(
    JSON.stringify({
      file: out,
      lines: fixture.lines.length,
      events: fixture.events,
      malformed: fixture.malformed,
      outOfOrder: fixture.outOfOrder,
    }) + "\n",
  );
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`write-replay-file: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
