import { createRequire, Module } from "node:module";

const require = createRequire(import.meta.url);

/** Absolute path of a kafkajs source file. */
export const kafkajsFile = (relative: string): string => require.resolve(`kafkajs/src/${relative}`);

/**
 * Makes `require(file)` return `exports` by putting a finished module into
 * Node's module cache. Only works before the file is first required (the
 * modules that require it keep what they got): kafkajs must not be loaded
 * yet, which `loadedFirst`, a file kafkajs loads along with `file`, tells.
 * Returns whether `require(file)` now gives `exports`.
 */
export function replaceModule(file: string, loadedFirst: string, exports: unknown): boolean {
  const cached = require.cache[file];
  if (cached) return cached.exports === exports;
  if (require.cache[loadedFirst]) return false;
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = exports;
  require.cache[file] = m;
  return true;
}

/** What `require(file)` returns now (for tests). */
export const requireNow = (file: string): unknown => require(file);
