/**
 * The whole pipeline over ZeroMQ, live, for specs that look at its files while it runs (the
 * dashboard, inspect and export): both simulators in this process, the four real services as
 * processes, short windows, and a fixed health port per service so that /metrics keeps its
 * address across a restart.
 */
import path from "node:path";
import { startBinanceSimulator, type BinanceSimulator } from "@cryptostream/binance-simulator/simulator";
import { startTwitterSimulator, type RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { freePort, ServiceProcess } from "./service-process.js";
import { addAwkwardTweets, E2E_QUERY } from "./twitter-e2e.js";

export const PIPELINE_SERVICES = [
  "binance-processor",
  "binance-producer",
  "twitter-processor",
  "twitter-producer",
] as const;
export type PipelineService = (typeof PIPELINE_SERVICES)[number];

export interface LivePipeline {
  readonly binanceH5: string;
  readonly twitterH5: string;
  readonly twitterSim: RunningTwitterSimulator;
  /** name=http://127.0.0.1:port,... for DASHBOARD_METRICS_URLS. */
  readonly metricsUrls: string;
  service(name: PipelineService): ServiceProcess;
  /** SIGTERM (a graceful stop: open windows are written as partial rows); resolves to the exit code. */
  stop(name: PipelineService): Promise<number | null>;
  /** Starts a stopped service again with the same environment and ports. */
  restart(name: PipelineService): Promise<void>;
  /** Stops everything: producers first, so the processors write what reached them. */
  stopAll(): Promise<Record<string, number | null>>;
}

export interface LivePipelineOptions {
  readonly symbols?: readonly string[];
  readonly windowSeconds?: number;
  /** Per-symbol update interval of the market simulator, ms. */
  readonly marketIntervalMs?: number;
}

export async function startLivePipeline(dir: string, opts: LivePipelineOptions = {}): Promise<LivePipeline> {
  const symbols = opts.symbols ?? ["btcusdt", "ethusdt", "solusdt"];
  const windows = {
    WINDOW_SECONDS: String(opts.windowSeconds ?? 2),
    ALLOWED_LATENESS_SECONDS: "1",
  };
  let binanceSim: BinanceSimulator | undefined;
  let twitterSim: RunningTwitterSimulator | undefined;
  const procs = new Map<PipelineService, ServiceProcess>();
  const envs = new Map<PipelineService, Record<string, string>>();
  const ports = new Map<PipelineService, number>();
  const start = async (name: PipelineService) => {
    const p = new ServiceProcess(name, { ...envs.get(name)!, HEALTH_PORT: String(ports.get(name)) });
    procs.set(name, p);
    await p.healthPort(30_000);
  };
  try {
    binanceSim = await startBinanceSimulator({ port: 0, symbols, seed: 11, intervalMs: opts.marketIntervalMs ?? 150 });
    twitterSim = await startTwitterSimulator({ port: 0, seed: 13, initialTweets: 40, tweetsPerSecond: 4 });
    addAwkwardTweets(twitterSim);
    const [bz, tz] = [await freePort(), await freePort()];
    for (const name of PIPELINE_SERVICES) ports.set(name, await freePort());
    const binanceH5 = path.join(dir, "binance.h5");
    const twitterH5 = path.join(dir, "twitter.h5");
    envs.set("binance-processor", {
      ...windows,
      ZMQ_CONNECT: `tcp://127.0.0.1:${bz}`,
      BINANCE_H5_PATH: binanceH5,
      BINANCE_SYMBOLS: symbols.join(","),
      BINANCE_FLUSH_SECONDS: "0",
    });
    envs.set("binance-producer", {
      BINANCE_WS_URL: binanceSim.url,
      BINANCE_REST_URL: binanceSim.restUrl,
      BINANCE_SYMBOLS: symbols.join(","),
      ZMQ_BIND: `tcp://127.0.0.1:${bz}`,
      BINANCE_RECONNECT_BASE_MS: "100",
    });
    envs.set("twitter-processor", { ...windows, ZMQ_CONNECT: `tcp://127.0.0.1:${tz}`, TWITTER_H5_PATH: twitterH5 });
    envs.set("twitter-producer", {
      TWITTER_API_URL: twitterSim.url,
      TWITTER_BEARER_TOKEN: "sim-token",
      TWITTER_QUERY: E2E_QUERY,
      TWITTER_POLL_SECONDS: "0.5",
      TWITTER_STATE_PATH: path.join(dir, "twitter-producer.state.json"),
      ZMQ_BIND: `tcp://127.0.0.1:${tz}`,
    });
    // Processors connect, producers bind: start the processors first.
    for (const name of ["binance-processor", "twitter-processor", "binance-producer", "twitter-producer"] as const)
      await start(name);
    const sims = { binance: binanceSim, twitter: twitterSim };
    return {
      binanceH5,
      twitterH5,
      twitterSim,
      metricsUrls: PIPELINE_SERVICES.map((n) => `${n}=http://127.0.0.1:${ports.get(n)}`).join(","),
      service: (name) => procs.get(name)!,
      stop: (name) => procs.get(name)!.stop("SIGTERM"),
      restart: (name) => start(name),
      stopAll: async () => {
        const codes: Record<string, number | null> = {};
        for (const name of ["binance-producer", "twitter-producer", "binance-processor", "twitter-processor"] as const)
          codes[name] = await procs.get(name)!.stop("SIGTERM");
        await sims.binance.stop();
        await sims.twitter.stop();
        return codes;
      },
    };
  } catch (err) {
    for (const p of procs.values()) await p.stop("SIGKILL");
    await binanceSim?.stop();
    await twitterSim?.stop();
    throw err;
  }
}
