/** Runs test/support/kafka_compare_h5.py: exact, sorted, row-by-row equality of two HDF5 files. */
import path from "node:path";
import { runPython } from "./python.js";
import { ROOT } from "./service-process.js";

export interface CompareSummary {
  datasets: number;
  rows_compared: number;
  problems: string[];
  problem_count: number;
}

/** `datasets` limits the comparison to those paths (e.g. "/sentiment"); default: every dataset. */
export function compareFiles(
  expected: string,
  actual: string,
  datasets: readonly string[] = [],
): { status: number | null; summary: CompareSummary; stderr: string } {
  const r = runPython([
    path.join(ROOT, "test/support/kafka_compare_h5.py"),
    "--expected",
    expected,
    "--actual",
    actual,
    ...datasets.flatMap((d) => ["--dataset", d]),
  ]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`comparison failed (${r.status}): ${r.stderr}`);
  return { status: r.status, summary: JSON.parse(r.stdout) as CompareSummary, stderr: r.stderr };
}
