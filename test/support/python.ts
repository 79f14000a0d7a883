/** Runs Debian's Python (the independent reader) and fails with a clear message when it is missing. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

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
