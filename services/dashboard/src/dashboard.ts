/**
 * What the page shows and when it changes: watches binance.h5 and twitter.h5, reads them
 * again after every flush (the processors rename a new version into place), polls each
 * service's health, and pushes what changed to the connected pages. Memory is bounded: the
 * newest `maxWindows` windows of at most CACHED_TABLES market tables, the newest `tweets`
 * posts, the newest `maxWindows` sentiment windows.
 */
import type { Logger, Registry } from "@cryptostream/common";
import type { DashboardConfig } from "./config.js";
import { FileWatch } from "./data/file-watch.js";
import {
  type FileStatus,
  lastRows,
  type MarketTable,
  marketTables,
  readH5,
  tableRows,
  windowTail,
} from "./data/h5-files.js";
import { HealthPoller } from "./health/poller.js";
import type { ServiceStatus } from "./health/service-status.js";
import { type MarketPoint, marketPoints, volumeColumn } from "./series/candles.js";
import { seriesDelta } from "./series/delta.js";
import { type SentimentPoint, sentimentSeries } from "./series/sentiment.js";

/** Sources with rows in /sentiment (twitter, bluesky). */
const SENTIMENT_SOURCES = 2;
import { markDeleted, type PostView, postViews } from "./series/tweets.js";
import { type SseClient, SseHub } from "./server/sse-hub.js";

const CACHED_TABLES = 16;
const KEEP_ALIVE_MS = 15_000;
/** Newest /deletes rows read per change (the page shows at most a few hundred posts). */
const MAX_DELETES_READ = 10_000;

interface CachedSeries {
  rows: number;
  points: MarketPoint[];
  volumeOf: string;
}

export class Dashboard {
  readonly hub: SseHub;
  private files: { binance: FileStatus; twitter: FileStatus };
  private tables: MarketTable[] = [];
  private readonly series = new Map<string, CachedSeries>();
  private sentiment: SentimentPoint[] = [];
  private sentimentRows = -1;
  private posts: PostView[] = [];
  private postRows = -1;
  /** Rows of /deletes seen: newer ones blank posts the page already shows. */
  private deleteRows = -1;
  private health: ServiceStatus[] = [];
  private readonly watches: FileWatch[];
  private readonly poller: HealthPoller;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly reloads;

  constructor(
    private readonly cfg: DashboardConfig,
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.hub = new SseHub(cfg.maxClients);
    const pending = (file: string): FileStatus => ({ file, state: "missing", message: "not read yet" });
    this.files = { binance: pending(cfg.binanceFile), twitter: pending(cfg.twitterFile) };
    this.watches = [
      new FileWatch(cfg.binanceFile, cfg.watchMs, () => this.binanceChanged()),
      new FileWatch(cfg.twitterFile, cfg.watchMs, () => this.twitterChanged()),
    ];
    this.poller = new HealthPoller(cfg.services, cfg.metricsPollMs, (s) => {
      this.health = s;
      this.hub.broadcast("health", this.healthView());
    });
    this.reloads = registry.counter("dashboard_file_reads_total", "Reads of an HDF5 file after it changed, by file.");
    const clients = registry.gauge("dashboard_pages", "Pages connected for live updates.");
    registry.onCollect(() => clients.set(this.hub.size));
  }

  async start(): Promise<void> {
    for (const w of this.watches) await w.start();
    this.poller.start();
    this.keepAlive = setInterval(() => this.hub.keepAlive(), KEEP_ALIVE_MS);
  }

  stop(): void {
    for (const w of this.watches) w.stop();
    this.poller.stop();
    clearInterval(this.keepAlive);
    this.hub.closeAll();
  }

  /** A new page: everything it shows, then live changes. */
  async connect(client: SseClient): Promise<void> {
    // A table the page names stays its choice even before its first window is written (a
    // bookmark opened while the pipeline starts); with none named, the first table is shown.
    if (client.dataset === undefined) client.dataset = this.tables[0]?.dataset;
    this.hub.send(client, "hello", { dataset: client.dataset });
    this.hub.send(client, "files", this.fileView());
    this.hub.send(client, "tables", this.tables);
    if (client.dataset !== undefined) {
      const s = this.series.get(client.dataset) ?? (await this.loadSeries(client.dataset));
      if (s)
        this.hub.send(client, "market", {
          dataset: client.dataset,
          volumeOf: s.volumeOf,
          mode: "reset",
          points: s.points,
        });
    }
    this.hub.send(client, "sentiment", { mode: "reset", points: this.sentiment });
    this.hub.send(client, "posts", { mode: "reset", posts: this.posts });
    this.hub.send(client, "health", this.healthView());
  }

  /** Every watched service by name (in the configured order), and the latest line of each. */
  private healthView() {
    return { services: this.cfg.services.map((s) => s.name), statuses: this.health };
  }

  private fileView() {
    return { dataDir: this.cfg.dataDir, binance: this.files.binance, twitter: this.files.twitter };
  }

  private setStatus(which: "binance" | "twitter", status: FileStatus): void {
    const before = this.files[which];
    this.files[which] = status;
    if (before.state !== status.state || before.message !== status.message) {
      if (status.state === "ok") this.log.info("file readable", { file: status.file });
      // A file not written yet is normal at start; one that cannot be read is not.
      else
        this.log[status.state === "missing" ? "info" : "warn"]("file not shown", {
          file: status.file,
          state: status.state,
          reason: status.message,
        });
    }
    this.hub.broadcast("files", this.fileView());
  }

  /** Reads a market table the cache lacks (a page asked for it). */
  private async loadSeries(dataset: string): Promise<CachedSeries | undefined> {
    const r = await readH5(this.cfg.binanceFile, (f) => ({
      rows: tableRows(f, dataset),
      tail: windowTail(f, dataset, this.cfg.maxWindows),
    }));
    return r.value ? this.cache(dataset, r.value.rows, r.value.tail) : undefined;
  }

  private cache(dataset: string, rows: number, tail: ReturnType<typeof windowTail>): CachedSeries {
    const s = {
      rows,
      points: marketPoints(tail, this.cfg.maxWindows),
      volumeOf: volumeColumn(Object.keys(tail[0] ?? {})),
    };
    this.series.delete(dataset);
    this.series.set(dataset, s);
    // Least recently read first: drop the oldest that no page shows.
    const shown = this.hub.datasets();
    for (const key of this.series.keys()) {
      if (this.series.size <= CACHED_TABLES) break;
      if (!shown.has(key)) this.series.delete(key);
    }
    return s;
  }

  private async binanceChanged(): Promise<void> {
    this.reloads.inc({ file: "binance" });
    const shown = this.hub.datasets();
    const r = await readH5(this.cfg.binanceFile, (f) => {
      const tables = marketTables(f);
      const tails = new Map<string, { rows: number; tail: ReturnType<typeof windowTail> }>();
      for (const t of tables) {
        if (this.series.get(t.dataset)?.rows === t.rows) continue;
        // Tables no page shows are dropped, not read: a page that comes back reads them anew.
        if (shown.has(t.dataset))
          tails.set(t.dataset, { rows: t.rows, tail: windowTail(f, t.dataset, this.cfg.maxWindows) });
        else this.series.delete(t.dataset);
      }
      return { tables, tails };
    });
    this.setStatus("binance", r.status);
    const tables = r.value?.tables ?? [];
    const names = (ts: MarketTable[]) => ts.map((t) => `${t.dataset}:${t.rows}`).join(",");
    if (names(tables) !== names(this.tables)) {
      this.tables = tables;
      this.hub.broadcast("tables", tables);
    }
    if (!r.value) this.series.clear();
    for (const [dataset, { rows, tail }] of r.value?.tails ?? []) {
      const prev = this.series.get(dataset);
      const next = this.cache(dataset, rows, tail);
      const delta = seriesDelta(prev?.points, next.points);
      if (delta.mode === "append" && delta.points.length === 0) continue;
      // fileTime: when the processor wrote this version, so a page can tell how late it heard of it.
      const fileTime = r.status.mtimeMs;
      this.hub.broadcast(
        "market",
        { dataset, volumeOf: next.volumeOf, fileTime, ...delta },
        (c) => c.dataset === dataset,
      );
    }
  }

  private async twitterChanged(): Promise<void> {
    this.reloads.inc({ file: "twitter" });
    const { maxWindows, tweets } = this.cfg;
    const r = await readH5(this.cfg.twitterFile, (f) => {
      const sentimentRows = tableRows(f, "/sentiment");
      const postRows = tableRows(f, "/tweets");
      const deleteRows = tableRows(f, "/deletes");
      // Fewer rows than before: a new file; else only the rows added since are new.
      const fresh = this.postRows < 0 || postRows < this.postRows;
      const want = fresh ? tweets : Math.min(tweets, postRows - this.postRows);
      return {
        sentimentRows,
        // One row per window and source: read enough rows for maxWindows windows of every source.
        sentiment:
          sentimentRows !== this.sentimentRows
            ? windowTail(f, "/sentiment", maxWindows * SENTIMENT_SOURCES)
            : undefined,
        postRows,
        fresh,
        posts: postRows !== this.postRows ? lastRows(f, "/tweets", want) : undefined,
        deleteRows,
        // A fresh read has the deletes in its rows already.
        deletes:
          !fresh && this.deleteRows >= 0 && deleteRows > this.deleteRows
            ? lastRows(f, "/deletes", Math.min(deleteRows - this.deleteRows, MAX_DELETES_READ))
            : undefined,
      };
    });
    this.setStatus("twitter", r.status);
    const v = r.value;
    if (!v) {
      this.sentiment = [];
      this.posts = [];
      this.sentimentRows = this.postRows = this.deleteRows = -1;
      return;
    }
    if (v.sentiment) {
      const next = sentimentSeries(v.sentiment, maxWindows);
      const delta = seriesDelta(this.sentiment, next);
      this.sentiment = next;
      this.sentimentRows = v.sentimentRows;
      if (delta.mode === "reset" || delta.points.length > 0)
        this.hub.broadcast("sentiment", { ...delta, fileTime: r.status.mtimeMs });
    }
    if (v.posts) {
      const reset = v.fresh;
      const fresh = postViews(v.posts);
      this.posts = reset ? fresh : [...fresh, ...this.posts].slice(0, tweets);
      this.postRows = v.postRows;
      this.hub.broadcast("posts", reset ? { mode: "reset", posts: this.posts } : { mode: "prepend", posts: fresh });
    }
    this.deleteRows = v.deleteRows;
    if (v.deletes) {
      const { posts, changed } = markDeleted(this.posts, new Set(v.deletes.map((r) => String(r.id))));
      this.posts = posts;
      if (changed.length > 0) this.hub.broadcast("posts", { mode: "deleted", ids: changed });
    }
  }
}
