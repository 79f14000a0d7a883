/**
 * Scores texts with the reference, Python vaderSentiment 3.3.2, through
 * test/support/vader_reference.py. scripts/test-prereqs.sh installs the
 * package into VADER_REFERENCE_DIR (default ~/.cache/cryptostream/vadersentiment-3.3.2).
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Polarity } from "@cryptostream/twitter-processor/text/vader/analyzer";

const HELPER = fileURLToPath(new URL("../../../../../test/support/vader_reference.py", import.meta.url));

export function referenceDir(): string {
  return process.env.VADER_REFERENCE_DIR ?? path.join(os.homedir(), ".cache", "cryptostream", "vadersentiment-3.3.2");
}

export function referenceScores(texts: readonly string[]): Polarity[] {
  const r = spawnSync("python3", [HELPER, "--site", referenceDir()], {
    input: JSON.stringify(texts),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  // A helper that exits early (package missing) also breaks the pipe: its own message says why.
  if (r.status !== 0 && r.stderr?.trim()) throw new Error(`the VADER reference failed: ${r.stderr.trim()}`);
  if (r.error) throw new Error(`cannot run python3 for the VADER reference: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`the VADER reference failed (exit ${r.status})`);
  const rows = JSON.parse(r.stdout) as Array<[number, number, number, number]>;
  if (rows.length !== texts.length)
    throw new Error(`the VADER reference scored ${rows.length} of ${texts.length} texts`);
  return rows.map(([compound, pos, neu, neg]) => ({ compound, pos, neu, neg }));
}
