// A small command-line parser for the scripts: `--name VALUE` options, `--flag`s and
// positionals in any order; an unknown option or a missing value is reported, not guessed.

/**
 * @param {string[]} argv
 * @param {{ values?: string[], flags?: string[] }} spec
 * @returns {{ positional: string[], values: Record<string, string>, flags: Record<string, boolean>, error?: string }}
 */
export function parseArgs(argv, { values = [], flags = [] } = {}) {
  const out = { positional: [], values: {}, flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (values.includes(a)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) return { ...out, error: `${a} needs a value` };
      out.values[a] = v;
      i++;
    } else if (flags.includes(a)) out.flags[a] = true;
    else if (a.startsWith("--")) return { ...out, error: `unknown option ${a}` };
    else out.positional.push(a);
  }
  return out;
}
