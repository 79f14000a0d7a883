#!/usr/bin/env node
// Runs every compiled test with node's built-in runner.
//   node scripts/test.mjs            unit specs, then integration specs
//   node scripts/test.mjs --unit     unit specs only (*.test.js)
// Unit specs sit beside their sources (services/*/src/**/*.test.ts), or in a service's
// test/ folder when they use test-only code kept there (services/*/test/**/*.test.ts);
// integration specs (*.integration.test.ts, test/**) need real peers: a Kafka broker,
// python3-h5py, ZeroMQ sockets, Docker. scripts/test-prereqs.sh installs what they need.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const unitOnly = process.argv.includes("--unit");
const filter = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") walk(p, out);
    } else if (e.name.endsWith(".test.js")) out.push(p);
  }
  return out;
}

/** False for a compiled spec whose source (named by its source map) was moved or deleted since it was built. */
function hasSource(file) {
  try {
    const map = JSON.parse(fs.readFileSync(`${file}.map`, "utf8"));
    return map.sources.every((s) => fs.existsSync(path.resolve(path.dirname(file), map.sourceRoot ?? "", s)));
  } catch {
    return true; // no source map: nothing to check
  }
}

const compiled = [];
for (const svc of fs.readdirSync(path.join(root, "services"))) {
  walk(path.join(root, "services", svc, "dist"), compiled);
  walk(path.join(root, "services", svc, "test", "dist"), compiled);
}
walk(path.join(root, "dist", "test"), compiled);
const stale = compiled.filter((f) => !hasSource(f));
for (const f of stale)
  console.error(
    `skipping ${path.relative(root, f)}: built from a source that no longer exists (delete the dist folders, then npm run build)`,
  );
const files = compiled.filter((f) => !stale.includes(f));
// Plain-JS specs of the project's scripts (the Kafka broker manager, the scripts' helpers).
for (const dir of ["kafka", "lib"]) {
  for (const f of fs.readdirSync(path.join(root, "scripts", dir))) {
    if (f.endsWith(".test.mjs")) files.push(path.join(root, "scripts", dir, f));
  }
}
const isIntegration = (f) =>
  f.endsWith(".integration.test.js") || f.includes(`${path.sep}dist${path.sep}test${path.sep}`);
let selected = files.filter((f) => (unitOnly ? !isIntegration(f) : true));
if (filter) selected = selected.filter((f) => f.includes(filter));
// Unit specs first: they are fast and point at the cause when an end-to-end test fails.
selected.sort((a, b) => Number(isIntegration(a)) - Number(isIntegration(b)) || a.localeCompare(b));
if (selected.length === 0) {
  console.error("no test files found: run `npm run build` first");
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=1", "--test-reporter=spec", ...selected.map((f) => path.relative(root, f))],
  { cwd: root, stdio: "inherit", env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } },
);
process.exit(r.status ?? 1);
