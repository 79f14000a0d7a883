/**
 * Structured JSON logs, one object per line on stdout. Nothing else may write to
 * stdout in a service (container log collectors parse it).
 */
import { type LOG_LEVELS, peekEnv, SERVICE_ENV } from "../config/env.js";

export type Level = (typeof LOG_LEVELS)[number];
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export type Sink = (line: string) => void;

const stdoutSink: Sink = (line) => {
  process.stdout.write(line + "\n");
};

/**
 * `level`, or LOG_LEVEL, read as readEnv reads it; info when invalid, so that the
 * logger still starts and the service can report the bad value (readEnv rejects it:
 * exit code 2 under runService).
 */
function levelOf(level: string | undefined): Level {
  const env = level === undefined ? process.env : { LOG_LEVEL: level };
  return peekEnv("LOG_LEVEL", SERVICE_ENV.LOG_LEVEL, env) ?? "info";
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  }
  return value;
}

export function createLogger(
  base: Fields,
  opts: { level?: Level | string; sink?: Sink; redact?: string[] } = {},
): Logger {
  const min = ORDER[levelOf(opts.level)];
  const sink = opts.sink ?? stdoutSink;
  const redact = (opts.redact ?? []).filter((s) => s.length >= 4);

  const scrub = (line: string): string => {
    let out = line;
    for (const s of redact) out = out.split(s).join("<redacted>");
    return out;
  };

  const make = (ctx: Fields): Logger => {
    const emit = (level: Level, msg: string, fields?: Fields): void => {
      if (ORDER[level] < min) return;
      const rec: Fields = { time: new Date().toISOString(), level, msg, ...ctx };
      if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = errorFields(v);
      let line: string;
      try {
        line = JSON.stringify(rec, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      } catch {
        line = JSON.stringify({ time: rec.time, level, msg, ...ctx, note: "fields not serialisable" });
      }
      sink(scrub(line));
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (f) => make({ ...ctx, ...f }),
    };
  };
  return make(base);
}

/** A logger that drops everything (for unit tests). */
export const silentLogger: Logger = createLogger({}, { sink: () => undefined });
