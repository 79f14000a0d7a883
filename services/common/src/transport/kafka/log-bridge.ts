import { peekEnv, SERVICE_ENV } from "../../config/env.js";
import type { logCreator, logLevel as LogLevel } from "kafkajs";
import { logLevel } from "./kafkajs.js";
import type { Fields, Logger } from "../../log/logger.js";

/**
 * Routes kafkajs's own logging into our JSON logger, so nothing but JSON lines
 * reaches stdout (kafkajs otherwise prints to the console).
 *
 * kafkajs logs connection failures during a broker restart at ERROR even when
 * a retry then succeeds; they stay errors here so a broker that stays away is
 * visible.
 */
export function kafkajsLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, timestamp: _ts, logger: _name, ...rest } = entry;
      const fields: Fields = { component: "kafkajs", namespace, ...rest };
      switch (level) {
        case logLevel.ERROR:
          log.error(message, fields);
          break;
        case logLevel.WARN:
          log.warn(message, fields);
          break;
        case logLevel.INFO:
          log.info(message, fields);
          break;
        default:
          log.debug(message, fields);
      }
    };
}

/** kafkajs filters by its own level before calling the log creator; map our LOG_LEVEL onto it. */
export function kafkajsLevel(level: string | undefined = peekEnv("LOG_LEVEL", SERVICE_ENV.LOG_LEVEL)): LogLevel {
  switch ((level ?? "info").toLowerCase()) {
    case "debug":
      return logLevel.DEBUG;
    case "warn":
      return logLevel.WARN;
    case "error":
      return logLevel.ERROR;
    default:
      return logLevel.INFO;
  }
}
