import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// Child processes run in a scratch directory holding a .env file, because dotenv
// (pulled in by natural) reads ./.env and would copy it into process.env.
let cwd = "";
const textIndexUrl = new URL("./index.js", import.meta.url).href;
const naturalUrl = pathToFileURL(createRequire(import.meta.url).resolve("natural")).href;

before(() => {
  cwd = mkdtempSync(join(tmpdir(), "natural-quiet-"));
  writeFileSync(join(cwd, ".env"), "INJECTED_FROM_DOTENV=yes\nDOTENV_CONFIG_QUIET=false\n");
});
after(() => rmSync(cwd, { recursive: true, force: true }));

function runModule(
  source: string,
  env: Record<string, string> = {},
): { stdout: string; stderr: string; status: number | null } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) {
    if (key.startsWith("DOTENV_CONFIG_") && !(key in env)) delete childEnv[key];
  }
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", source], {
    cwd,
    env: childEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: res.stdout, stderr: res.stderr, status: res.status };
}

// Reports what the child saw on stderr, so stdout stays the thing under test.
const REPORT = `process.stderr.write("REPORT " + JSON.stringify({
  injected: process.env.INJECTED_FROM_DOTENV ?? null,
  quiet: process.env.DOTENV_CONFIG_QUIET ?? null,
  tokens: m.preprocess("Not a bad day for #Bitcoin 🚀").tokens,
}) + "\\n");`;

function report(stderr: string): { injected: string | null; quiet: string | null; tokens: string[] } {
  const line = stderr.split("\n").find((l) => l.startsWith("REPORT "));
  assert.ok(line, `child printed no report; stderr:\n${stderr}`);
  return JSON.parse(line.slice("REPORT ".length)) as {
    injected: string | null;
    quiet: string | null;
    tokens: string[];
  };
}

test("control: a bare import of natural does print dotenv banners on stdout and reads ./.env", () => {
  const res = runModule(`await import(${JSON.stringify(naturalUrl)});
    process.stderr.write("INJECTED=" + process.env.INJECTED_FROM_DOTENV + "\\n");`);
  assert.equal(res.status, 0, res.stderr);
  // If this fails, natural/dotenv stopped printing and the tests below no longer prove anything.
  assert.match(res.stdout, /injected env/, "expected the banner this loader exists to suppress");
  assert.match(res.stderr, /INJECTED=yes/);
});

test("importing the text module leaves stdout empty and process.env untouched", () => {
  const res = runModule(`const m = await import(${JSON.stringify(textIndexUrl)}); ${REPORT}`);
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout, "", "stdout must stay empty");
  const seen = report(res.stderr);
  assert.equal(seen.injected, null, ".env must not leak into process.env");
  assert.equal(seen.quiet, null, "the loader must remove its own DOTENV_CONFIG_QUIET");
  assert.deepEqual(seen.tokens, ["not", "bad", "day", "bitcoin"]);
});

test("stays quiet with DOTENV_CONFIG_DEBUG=true; a preset DOTENV_CONFIG_QUIET=false is restored", () => {
  const res = runModule(`const m = await import(${JSON.stringify(textIndexUrl)}); ${REPORT}`, {
    DOTENV_CONFIG_DEBUG: "true",
    DOTENV_CONFIG_QUIET: "false",
  });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout, "", "stdout must stay empty");
  const seen = report(res.stderr);
  assert.equal(seen.quiet, "false");
  assert.equal(seen.injected, null);
  // dotenv's debug output was redirected to stderr, not lost.
  assert.match(res.stderr, /injected env|\.env/);
});
