import { int, num, readEnv, str } from "@cryptostream/common";
import type { JetstreamSimulatorOptions } from "./simulator.js";

/** Environment variables of the simulator service, with defaults. */
export const SIMULATOR_ENV = {
  SIM_HOST: str("127.0.0.1"),
  SIM_PORT: int(6008, 0, 65535),
  SIM_SEED: str("42"),
  SIM_EVENTS_PER_SECOND: num(20, 0, 100_000),
  SIM_INITIAL_EVENTS: int(500, 0, 10_000_000),
  SIM_HISTORY_SIZE: int(100_000, 1, 10_000_000),
  SIM_DROP_AFTER_EVENTS: int(0, 0, 1_000_000_000),
  SIM_CURSOR_SLACK_SECONDS: num(0, 0, 86_400),
};

export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): JetstreamSimulatorOptions {
  const e = readEnv(SIMULATOR_ENV, env);
  return {
    host: e.SIM_HOST,
    port: e.SIM_PORT,
    seed: e.SIM_SEED,
    eventsPerSecond: e.SIM_EVENTS_PER_SECOND,
    initialEvents: e.SIM_INITIAL_EVENTS,
    historySize: e.SIM_HISTORY_SIZE,
    dropAfterEvents: e.SIM_DROP_AFTER_EVENTS,
    cursorSlackSeconds: e.SIM_CURSOR_SLACK_SECONDS,
  };
}
