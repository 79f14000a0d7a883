/** The dashboard's configuration: environment variables (README, "dashboard"), DATA_DIR argument. */
import path from "node:path";
import { int, list, readEnv, str } from "@cryptostream/common";

export interface ServiceTarget {
  readonly name: string;
  /** Base URL of its /healthz and /metrics, e.g. http://binance-processor:9102. */
  readonly url: string;
}

export interface DashboardConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /**
   * The stores as configured (DASHBOARD_BINANCE_FILE, DASHBOARD_TWITTER_FILE, relative to the
   * data folder): a store folder, the earlier setting `binance.h5` (meaning the folder
   * `binance` once it exists), or a single HDF5 file read as a store of one.
   */
  readonly binanceFile: string;
  readonly twitterFile: string;
  readonly services: readonly ServiceTarget[];
  readonly watchMs: number;
  readonly metricsPollMs: number;
  readonly maxWindows: number;
  readonly tweets: number;
  readonly maxClients: number;
}

export const DASHBOARD_ENV = {
  DASHBOARD_PORT: int(8088, 0, 65535),
  DASHBOARD_HOST: str("127.0.0.1"),
  DASHBOARD_DATA_DIR: str("data"),
  DASHBOARD_BINANCE_FILE: str("binance.h5"),
  DASHBOARD_TWITTER_FILE: str("twitter.h5"),
  DASHBOARD_METRICS_URLS: list([], /^[A-Za-z0-9_.-]+=https?:\/\/[^\s,]+$/),
  DASHBOARD_WATCH_MS: int(250, 20, 10_000),
  DASHBOARD_METRICS_POLL_MS: int(1000, 100, 60_000),
  DASHBOARD_MAX_WINDOWS: int(1440, 10, 100_000),
  DASHBOARD_TWEETS: int(50, 1, 1000),
  DASHBOARD_MAX_CLIENTS: int(32, 1, 1000),
};

/** `argv` are the arguments after the script: an optional DATA_DIR (over DASHBOARD_DATA_DIR). */
export function dashboardConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): DashboardConfig {
  const e = readEnv(DASHBOARD_ENV, env);
  const dataDir = path.resolve(argv[0] ?? e.DASHBOARD_DATA_DIR);
  return {
    port: e.DASHBOARD_PORT,
    host: e.DASHBOARD_HOST,
    dataDir,
    binanceFile: path.resolve(dataDir, e.DASHBOARD_BINANCE_FILE),
    twitterFile: path.resolve(dataDir, e.DASHBOARD_TWITTER_FILE),
    services: e.DASHBOARD_METRICS_URLS.map((item) => {
      const i = item.indexOf("=");
      return { name: item.slice(0, i), url: item.slice(i + 1).replace(/\/+$/, "") };
    }),
    watchMs: e.DASHBOARD_WATCH_MS,
    metricsPollMs: e.DASHBOARD_METRICS_POLL_MS,
    maxWindows: e.DASHBOARD_MAX_WINDOWS,
    tweets: e.DASHBOARD_TWEETS,
    maxClients: e.DASHBOARD_MAX_CLIENTS,
  };
}
