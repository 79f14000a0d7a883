/**
 * Typed configuration read from environment variables.
 *
 * Each service declares a spec (variable name -> parser with default); `readEnv`
 * validates all of them at start-up and reports every bad or missing variable at
 * once through ConfigError, which the service entry point turns into exit code 2.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "ConfigError";
  }
}

/** Exit code used when the configuration is unusable. */
export const CONFIG_EXIT_CODE = 2;

export interface VarSpec<T> {
  /** What a valid value looks like, shown in errors and in `describeEnv`. */
  readonly expects: string;
  /** Default when the variable is unset or empty; undefined means required. */
  readonly fallback: T | undefined;
  readonly secret: boolean;
  parse(raw: string): T;
  /** Optional explanation of why a required variable matters and how to set it. */
  readonly hint?: string;
}

type Parsed<S> = { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

function spec<T>(expects: string, parse: (raw: string) => T, fallback?: T): VarSpec<T> {
  return { expects, parse, fallback, secret: false };
}

/** Marks a variable as secret: its value never appears in logs or errors. */
export function secret<T>(s: VarSpec<T>, hint?: string): VarSpec<T> {
  return { ...s, secret: true, hint };
}

/** Adds a hint shown when the variable is missing. */
export function withHint<T>(s: VarSpec<T>, hint: string): VarSpec<T> {
  return { ...s, hint };
}

export const str = (fallback?: string): VarSpec<string> => spec("a non-empty string", (raw) => raw, fallback);

const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration such as `30d`, `12h`, `90m`, `45s` or `2w`, in ms; `0` means none. */
export const duration = (fallback?: number): VarSpec<number> =>
  spec(
    "a duration such as 30d, 12h, 90m (0: none)",
    (raw) => {
      if (raw.trim() === "0") return 0;
      const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(raw);
      if (!m) throw new Error("not a duration");
      return Math.round(Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]!);
    },
    fallback,
  );

export const oneOf = <T extends string>(values: readonly T[], fallback?: T): VarSpec<T> =>
  spec(
    `one of ${values.join(", ")}`,
    (raw) => {
      const v = raw.toLowerCase() as T;
      if (!values.includes(v)) throw new Error("not allowed");
      return v;
    },
    fallback,
  );

export const int = (fallback?: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): VarSpec<number> =>
  spec(
    min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER
      ? "an integer"
      : `an integer from ${min} to ${max}`,
    (raw) => {
      if (!/^-?\d+$/.test(raw)) throw new Error("not an integer");
      const n = Number(raw);
      if (n < min || n > max) throw new Error("out of range");
      return n;
    },
    fallback,
  );

export const num = (fallback?: number, min = -Infinity, max = Infinity): VarSpec<number> =>
  spec(
    min === -Infinity && max === Infinity ? "a number" : `a number from ${min} to ${max}`,
    (raw) => {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw new Error("not a number");
      if (n < min || n > max) throw new Error("out of range");
      return n;
    },
    fallback,
  );

export const bool = (fallback?: boolean): VarSpec<boolean> =>
  spec(
    "true or false",
    (raw) => {
      const v = raw.toLowerCase();
      if (["1", "true", "yes", "on"].includes(v)) return true;
      if (["0", "false", "no", "off"].includes(v)) return false;
      throw new Error("not a boolean");
    },
    fallback,
  );

/** Comma-separated list of non-empty items, trimmed. */
export const list = (fallback?: string[], itemPattern?: RegExp): VarSpec<string[]> =>
  spec(
    itemPattern ? `a comma-separated list of items matching ${itemPattern}` : "a comma-separated list",
    (raw) => {
      const items = raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (items.length === 0) throw new Error("empty list");
      if (itemPattern && !items.every((i) => itemPattern.test(i))) throw new Error("bad item");
      return items;
    },
    fallback,
  );

export const url = (fallback?: string, protocols?: string[]): VarSpec<string> =>
  spec(
    protocols ? `a URL (${protocols.join(", ")})` : "a URL",
    (raw) => {
      const u = new URL(raw);
      if (protocols && !protocols.includes(u.protocol.replace(/:$/, ""))) throw new Error("bad protocol");
      return raw.replace(/\/+$/, "");
    },
    fallback,
  );

/** Log levels, most verbose first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * Variables every service reads whatever its own configuration. Every readEnv call
 * checks them too, so a bad one stops a service at its first configuration read
 * (runService's own), with exit code 2, like any other variable.
 */
export const SERVICE_ENV = {
  LOG_LEVEL: oneOf(LOG_LEVELS, "info"),
};

type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

function readVar<T>(name: string, s: VarSpec<T>, env: NodeJS.ProcessEnv): Read<T> {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") {
    if (s.fallback === undefined)
      return { ok: false, problem: `${name} is not set: expected ${s.expects}${s.hint ? ` (${s.hint})` : ""}` };
    return { ok: true, value: s.fallback };
  }
  try {
    return { ok: true, value: s.parse(raw.trim()) };
  } catch {
    const shown = s.secret ? "<secret>" : JSON.stringify(raw);
    return { ok: false, problem: `${name}=${shown} is invalid: expected ${s.expects}` };
  }
}

/**
 * Reads and validates every variable in `specs` (and checks SERVICE_ENV's); throws
 * ConfigError listing all problems.
 */
export function readEnv<S extends Record<string, VarSpec<unknown>>>(
  specs: S,
  env: NodeJS.ProcessEnv = process.env,
): Parsed<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, s] of Object.entries(specs)) {
    const r = readVar(name, s, env);
    if (r.ok) out[name] = r.value;
    else problems.push(r.problem);
  }
  for (const [name, s] of Object.entries(SERVICE_ENV)) {
    if (name in specs) continue;
    const r = readVar(name, s, env);
    if (!r.ok) problems.push(r.problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Parsed<S>;
}

/**
 * One variable as readEnv reads it (its fallback when unset), or undefined when it is
 * invalid, without throwing: for what a service needs before it can report
 * configuration errors (its log level, the secrets its logs must hide). readEnv is
 * what rejects the invalid value.
 */
export function peekEnv<T>(name: string, s: VarSpec<T>, env: NodeJS.ProcessEnv = process.env): T | undefined {
  const r = readVar(name, s, env);
  return r.ok ? r.value : undefined;
}

/** Lines for a README-style table: name, expected value, default. */
export function describeEnv(specs: Record<string, VarSpec<unknown>>): string[] {
  return Object.entries(specs).map(([name, s]) => {
    const def = s.fallback === undefined ? "(required)" : s.secret ? "(secret)" : JSON.stringify(s.fallback);
    return `${name}\t${s.expects}\t${def}`;
  });
}
