/**
 * Debian's Chromium driven by playwright-core (no browser download), the dashboard as a
 * service process, and where the specs put what they produce (screenshots).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { freePort, ROOT, ServiceProcess } from "./service-process.js";

export const CHROMIUM = "/usr/bin/chromium";

/** Screenshots and other artefacts of the specs (TEST_OUTPUT_DIR, default .cache/test-output). */
export function testOutputDir(): string {
  const dir = path.resolve(process.env.TEST_OUTPUT_DIR ?? path.join(ROOT, ".cache", "test-output"));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test-prereqs.sh installs it)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ["--enable-precise-memory-info"] });
}

export interface RunningDashboard {
  readonly url: string;
  readonly process: ServiceProcess;
}

export async function startDashboard(dataDir: string, env: Record<string, string> = {}): Promise<RunningDashboard> {
  const port = await freePort();
  const p = new ServiceProcess("dashboard", { DASHBOARD_DATA_DIR: dataDir, DASHBOARD_PORT: String(port), ...env });
  const ready = await p.waitForLog((l) => l.msg === "dashboard ready", 30_000);
  return { url: String(ready.url), process: p };
}
