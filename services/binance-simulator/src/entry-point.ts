import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** True when the module with this import.meta.url is the script node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
