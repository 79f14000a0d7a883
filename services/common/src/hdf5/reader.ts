import fs from "node:fs";
import path from "node:path";
import { loadH5, type H5Dataset, type H5File } from "./h5.js";

/**
 * Reads back what the appender wrote (start-up dedupe, inspection). Opens
 * the file read-only and closes it before returning.
 */
export async function withFile<T>(filePath: string, fn: (file: H5File) => T): Promise<T | undefined> {
  const abs = path.resolve(filePath);
  if (!fs.existsSync(abs)) return undefined;
  const h5 = await loadH5();
  const file = new h5.File(abs, "r");
  try {
    return fn(file);
  } finally {
    file.close();
  }
}

/** All dataset paths in a file, depth first. */
export function datasetPaths(file: H5File): string[] {
  const out: string[] = [];
  const walk = (groupPath: string): void => {
    const g = file.get(groupPath);
    if (g === null || !("keys" in g)) return;
    for (const name of (g as { keys(): string[] }).keys()) {
      const p = groupPath === "/" ? `/${name}` : `${groupPath}/${name}`;
      const entity = file.get(p);
      if (entity && entity.constructor.name === "Dataset") out.push(p);
      else walk(p);
    }
  };
  walk("/");
  return out;
}

/**
 * Reads named columns of a compound table as arrays (int64 as bigint, strings
 * as text); `lastRows` limits the read to the end of the table.
 */
export function readColumns(
  file: H5File,
  datasetPath: string,
  names: readonly string[],
  lastRows?: number,
): Map<string, unknown[]> {
  const ds = file.get(datasetPath) as H5Dataset | null;
  const out = new Map<string, unknown[]>(names.map((n) => [n, []]));
  if (ds === null) return out;
  const n = ds.shape?.[0] ?? 0;
  if (n === 0) return out;
  const fields = (ds.dtype as Array<[string, string]>).map(([name]) => name);
  const idx = names.map((name) => fields.indexOf(name));
  const from = lastRows === undefined ? 0 : Math.max(0, n - lastRows);
  const rows = ds.slice([[from, n]]) as unknown[][];
  for (const row of rows) {
    names.forEach((name, i) => out.get(name)!.push(row[idx[i]!]));
  }
  return out;
}
