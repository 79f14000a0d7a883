/** Runs Debian's Python (the independent reader) and fails with a clear message when it is missing. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./service-process.js";

export const PYTHON = "/usr/bin/python3";

export function requirePythonModule(module: string, aptPackage: string): void {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3 ${aptPackage}`);
  const r = spawnSync(PYTHON, ["-c", `import ${module}`], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`${PYTHON} cannot import ${module}: apt-get install ${aptPackage} (run scripts/test-prereqs.sh)`);
}

export function runPython(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(PYTHON, args, { encoding: "utf8", input, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the pandas candle reference (test/support/reference_candles.py) on a recorded-format
 * input against a binance.h5: its JSON summary on stdout, exit status 1 on any difference.
 */
export function runReferenceCandles(
  input: string,
  h5: string,
  o: {
    readonly windowSeconds: number;
    readonly latenessSeconds: number;
    readonly symbols: readonly string[];
    /** A window may have several rows (late backfill, flags of late markers): merge them first. */
    readonly mergeRows?: boolean;
  },
): { status: number | null; stdout: string; stderr: string } {
  return runPython([
    path.join(ROOT, "test/support/reference_candles.py"),
    "--input",
    input,
    "--h5",
    h5,
    "--window-ms",
    String(o.windowSeconds * 1000),
    "--lateness-ms",
    String(o.latenessSeconds * 1000),
    "--symbols",
    o.symbols.join(","),
    ...(o.mergeRows ? ["--merge-rows"] : []),
  ]);
}
