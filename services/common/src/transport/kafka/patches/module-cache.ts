import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** Set on every replacement, so a second install (or a check) recognises it. */
const REPLACED = Symbol.for("cryptostream.kafkajs.replaced");

/** Absolute path of a kafkajs source file. */
export const kafkajsFile = (relative: string): string => require.resolve(`kafkajs/src/${relative}`);

/**
 * Makes later `require(file)` calls return `make(original)`: loads the
 * original once, then swaps the exports of its entry in Node's module cache.
 * Only the modules that require `file` afterwards see the replacement, so it
 * must happen before kafkajs loads; `loadedFirst` names a kafkajs file that
 * requires `file` when kafkajs loads. Returns whether `require(file)` now
 * gives the replacement.
 */
export function replaceModule<T extends object>(file: string, loadedFirst: string, make: (original: T) => T): boolean {
  if (require.cache[loadedFirst]) return isReplaced(file);
  const original = require(file) as T;
  if (REPLACED in original) return true;
  const replacement = make(original);
  Object.defineProperty(replacement, REPLACED, { value: true });
  require.cache[file]!.exports = replacement;
  return true;
}

function isReplaced(file: string): boolean {
  const exports = require.cache[file]?.exports as object | undefined;
  return exports !== undefined && REPLACED in exports;
}

/** What `require(file)` returns now (for tests). */
export const requireNow = (file: string): unknown => require(file);
