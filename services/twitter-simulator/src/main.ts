import { runService } from "@cryptostream/common";
import { simulatorOptionsFromEnv } from "./config.js";
import { startTwitterSimulator } from "./simulator.js";

/** The simulator as a service: env config, /healthz + /metrics on HEALTH_PORT (default 9106), graceful stop. */
const opts = (() => {
  try {
    return simulatorOptionsFromEnv();
  } catch {
    return undefined; // reported (exit 2) by runService below, which reads the env again
  }
})();

await runService(
  { name: "twitter-simulator", defaultHealthPort: 9106, redact: opts ? [opts.bearerToken] : [] },
  async ({ log, registry, metrics }) => {
    const options = simulatorOptionsFromEnv();
    const responses = registry.counter("twitter_sim_responses_total", "Responses sent by the simulator, by status.");
    const sim = await startTwitterSimulator({
      ...options,
      log,
      onResponse: ({ status, tweets }) => {
        responses.inc({ status: String(status) });
        if (tweets > 0) metrics.messagesOut.inc(undefined, tweets);
      },
    });
    log.info("twitter simulator listening", {
      url: sim.url,
      searchPath: "/2/tweets/search/recent",
      seed: options.seed,
      initialTweets: options.initialTweets,
      tweetsPerSecond: options.tweetsPerSecond,
      rateLimit: options.rateLimit,
      rateWindowSeconds: options.rateWindowSeconds,
      fail5xxEvery: options.fail5xxEvery,
    });
    return {
      stop: () => sim.stop(),
      health: () => ({ ok: true, detail: { tweetsHeld: sim.stats(false).tweets.held } }),
    };
  },
);
