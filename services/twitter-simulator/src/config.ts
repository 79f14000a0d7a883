import { int, num, readEnv, secret, str } from "@cryptostream/common";
import type { TwitterSimulatorOptions } from "./simulator.js";

/** Environment variables of the simulator service, with defaults. */
export const SIMULATOR_ENV = {
  SIM_HOST: str("127.0.0.1"),
  SIM_PORT: int(8080, 0, 65535),
  SIM_BEARER_TOKEN: secret(str("sim-token")),
  SIM_SEED: str("42"),
  SIM_INITIAL_TWEETS: int(200, 0, 1_000_000),
  SIM_TWEETS_PER_SECOND: num(3, 0, 10_000),
  SIM_HISTORY_SIZE: int(10_000, 1, 1_000_000),
  SIM_RATE_LIMIT: int(450, 1, 1_000_000_000),
  SIM_RATE_WINDOW_SECONDS: int(900, 1, 86_400),
  SIM_FAIL_5XX_EVERY: int(0, 0, 1_000_000),
};

export function simulatorOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): TwitterSimulatorOptions & { bearerToken: string } {
  const e = readEnv(SIMULATOR_ENV, env);
  return {
    host: e.SIM_HOST,
    port: e.SIM_PORT,
    bearerToken: e.SIM_BEARER_TOKEN,
    seed: e.SIM_SEED,
    initialTweets: e.SIM_INITIAL_TWEETS,
    tweetsPerSecond: e.SIM_TWEETS_PER_SECOND,
    historySize: e.SIM_HISTORY_SIZE,
    rateLimit: e.SIM_RATE_LIMIT,
    rateWindowSeconds: e.SIM_RATE_WINDOW_SECONDS,
    fail5xxEvery: e.SIM_FAIL_5XX_EVERY,
  };
}
