/**
 * Loads the `natural` package without letting it touch stdout or process.env.
 *
 * Why: natural@8.1.1's index requires its storage backends (File, Redis, Postgres,
 * Memcached, MongoDB), and each one calls `require('dotenv').config()` at load
 * time. dotenv@17 then (a) prints "◇ injected env (0) from .env // tip: ..." to
 * stdout via console.log, five times, and (b) copies any `.env` file found in the
 * current directory into process.env. Our services' stdout carries JSON logs only,
 * and their configuration must come from the real environment alone.
 *
 * How: natural is CommonJS, so it is loaded with a synchronous `require`. During
 * that one synchronous call nothing else can run, so it is safe to
 *   - set DOTENV_CONFIG_QUIET=true (dotenv's own switch for the banner),
 *   - send anything written to stdout to stderr instead (covers
 *     DOTENV_CONFIG_DEBUG=true and any other chatty dependency),
 *   - restore process.env exactly as it was afterwards (undoes `.env` injection
 *     and our own DOTENV_CONFIG_QUIET).
 * A static `import natural from "natural"` cannot do this: ESM hoists the import
 * and evaluates natural before any code of ours runs. Every module in this service
 * must therefore get natural from here, never import it directly.
 */

import { createRequire } from "node:module";

type Natural = typeof import("natural");

function snapshotEnv(): Map<string, string | undefined> {
  return new Map(Object.entries(process.env));
}

function restoreEnv(before: Map<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) {
    if (!before.has(key)) delete process.env[key];
  }
  for (const [key, value] of before) {
    if (value === undefined) delete process.env[key];
    else if (process.env[key] !== value) process.env[key] = value;
  }
}

/** Runs `fn` with every stdout write redirected to stderr, and process.env restored after. */
function withQuietStdoutAndEnv<T>(fn: () => T): T {
  const envBefore = snapshotEnv();
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  process.env.DOTENV_CONFIG_QUIET = "true";
  try {
    return fn();
  } finally {
    process.stdout.write = stdoutWrite;
    restoreEnv(envBefore);
  }
}

const require = createRequire(import.meta.url);

/** The `natural` module, loaded once, quietly. */
export const natural: Natural = withQuietStdoutAndEnv(() => require("natural") as Natural);
