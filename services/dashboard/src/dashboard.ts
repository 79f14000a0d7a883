/**
 * What the page shows and when it changes: watches the binance and twitter stores (folders
 * of partition files, or a single file of the earlier layout), reads what changed after every
 * flush (the processors rename a new version of a partition into place), polls each
 * service's health, and pushes what changed to the connected pages.
 *
 * Cost does not grow with the history a store holds: only the open (newest) partitions are
 * watched and listed for tables; a chart reads the newest partitions that cover its time
 * range (the newest `maxWindows` windows), and a partition is opened again only when it
 * changed (PartitionReader). Memory is bounded: the newest `maxWindows` windows of at most
 * CACHED_TABLES market tables, the newest `tweets` posts, the newest `maxWindows` sentiment
 * windows.
 */
import type { Logger, Registry } from "@cryptostream/common";
import type { StoreFile } from "@cryptostream/common/store/layout";
import type { DashboardConfig } from "./config.js";
import { StoreWatch } from "./data/file-watch.js";
import { type FileStatus, lastRows, type MarketTable, tableRows } from "./data/h5-files.js";
import { PartitionReader, type ReadQuery } from "./data/partition-reader.js";
import { OPEN_PERIODS, openFiles, type PeriodGroup, periodGroups, storeLabel } from "./data/store-files.js";
import { lastQuery, newestRows, openTables, type StoreRows, tailQuery, windowRows } from "./data/store-view.js";
import { HealthPoller } from "./health/poller.js";
import type { ServiceStatus } from "./health/service-status.js";
import { type MarketPoint, marketPoints, volumeColumn } from "./series/candles.js";
import { seriesDelta } from "./series/delta.js";
import { type SentimentPoint, sentimentSeries } from "./series/sentiment.js";
import { markDeleted, type PostView, postsChange, postViews } from "./series/tweets.js";
import { type SseClient, SseHub } from "./server/sse-hub.js";

/** Sources with rows in /sentiment (twitter, bluesky). */
const SENTIMENT_SOURCES = 2;
const CACHED_TABLES = 16;
const KEEP_ALIVE_MS = 15_000;
/** Newest /deletes ids kept per partition (the page shows at most a few hundred posts). */
const MAX_DELETES_READ = 10_000;
/** Periods searched for the newest posts when the newest ones hold too few. */
const POST_PERIODS = OPEN_PERIODS + 1;

type Which = "binance" | "twitter";

interface CachedSeries {
  /** The files and versions the points come from. */
  signature: string;
  points: MarketPoint[];
  volumeOf: string;
}

interface DeleteIds {
  readonly rows: number;
  readonly ids: readonly string[];
}

/** The ids of a partition's /deletes rows; after a flush only the rows added since are read. */
const DELETES_QUERY: ReadQuery = {
  key: "deletes",
  fn: (f, previous) => {
    const rows = tableRows(f, "/deletes");
    const prev = previous as DeleteIds | undefined;
    const idsOf = (n: number) => lastRows(f, "/deletes", Math.min(n, MAX_DELETES_READ)).map((r) => String(r.id));
    const ids = prev && rows >= prev.rows ? [...prev.ids, ...idsOf(rows - prev.rows)] : idsOf(rows);
    return { rows, ids: ids.slice(-MAX_DELETES_READ) } satisfies DeleteIds;
  },
};

interface Store {
  readonly given: string;
  readonly reader: PartitionReader;
  groups: PeriodGroup[];
  status: FileStatus;
}

export class Dashboard {
  readonly hub: SseHub;
  private readonly stores: Record<Which, Store>;
  private tables: MarketTable[] = [];
  private readonly series = new Map<string, CachedSeries>();
  private sentiment: SentimentPoint[] = [];
  private sentimentSignature = "";
  private posts: PostView[] = [];
  private health: ServiceStatus[] = [];
  private readonly watches: StoreWatch[];
  private readonly poller: HealthPoller;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly reloads;

  constructor(
    private readonly cfg: DashboardConfig,
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.hub = new SseHub(cfg.maxClients);
    const opens = registry.counter(
      "dashboard_partition_opens_total",
      "HDF5 files opened to read rows (a partition is opened again only after it changed), by store.",
    );
    const store = (which: Which, given: string): Store => ({
      given,
      reader: new PartitionReader(log, () => opens.inc({ store: which })),
      groups: [],
      status: { file: storeLabel(given), state: "missing", message: "not read yet" },
    });
    this.stores = { binance: store("binance", cfg.binanceFile), twitter: store("twitter", cfg.twitterFile) };
    this.watches = [
      new StoreWatch(cfg.binanceFile, cfg.watchMs, (files) => this.binanceChanged(files), log),
      new StoreWatch(cfg.twitterFile, cfg.watchMs, (files) => this.twitterChanged(files), log),
    ];
    this.poller = new HealthPoller(cfg.services, cfg.metricsPollMs, (s) => {
      this.health = s;
      this.hub.broadcast("health", this.healthView());
    });
    this.reloads = registry.counter("dashboard_file_reads_total", "Reads of a store after it changed, by file.");
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

  /** Files opened so far per store (each open reads a partition version not read before), and the latest ones. */
  opens(which: Which): { count: number; recent: readonly string[] } {
    const r = this.stores[which].reader;
    return { count: r.opens, recent: [...r.recentOpens] };
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
    return { dataDir: this.cfg.dataDir, binance: this.stores.binance.status, twitter: this.stores.twitter.status };
  }

  /** Starts a round of reads after a change: the new listing, grouped by period. */
  private beginRound(which: Which, files: readonly StoreFile[]): Store {
    const s = this.stores[which];
    s.groups = periodGroups(files);
    s.reader.beginRound();
    s.reader.retain(new Set(files.map((f) => f.path)));
    return s;
  }

  /** The store's line on the page: missing, the first partition that cannot be read, or ok. */
  private endRound(which: Which, mtimeMs: number | undefined): void {
    const s = this.stores[which];
    const label = storeLabel(s.given);
    const problem = [...s.reader.problems.values()][0];
    const status: FileStatus =
      s.groups.length === 0
        ? {
            file: label,
            state: "missing",
            message: "not written yet: the processor creates it when its first window closes",
          }
        : (problem ?? { file: label, state: "ok", mtimeMs });
    const before = s.status;
    s.status = status;
    if (before.state !== status.state || before.message !== status.message || before.file !== status.file) {
      if (status.state === "ok") this.log.info("store readable", { store: label });
      // A store not written yet is normal at start; a partition that cannot be read is not.
      else
        this.log[status.state === "missing" ? "info" : "warn"]("file not shown", {
          file: status.file,
          state: status.state,
          reason: status.message,
        });
    }
    this.hub.broadcast("files", this.fileView());
  }

  private async readSeries(dataset: string): Promise<StoreRows> {
    const s = this.stores.binance;
    return windowRows(s.reader, s.groups, dataset, this.cfg.maxWindows, this.cfg.maxWindows, OPEN_PERIODS);
  }

  /** Reads a market table the cache lacks (a page asked for it). */
  private async loadSeries(dataset: string): Promise<CachedSeries | undefined> {
    const r = await this.readSeries(dataset);
    return r.rows.length > 0 ? this.cache(dataset, r) : undefined;
  }

  private cache(dataset: string, r: StoreRows): CachedSeries {
    const s = {
      signature: r.signature,
      points: marketPoints(r.rows, this.cfg.maxWindows),
      volumeOf: volumeColumn(Object.keys(r.rows[0] ?? {})),
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

  private async binanceChanged(files: readonly StoreFile[]): Promise<void> {
    this.reloads.inc({ file: "binance" });
    const store = this.beginRound("binance", files);
    const shown = this.hub.datasets();
    // The tails of the shown tables are read in the same open as the table list.
    const prefetch = [...shown].map((d) => tailQuery(d, this.cfg.maxWindows));
    const { tables, mtimeMs } = await openTables(store.reader, store.groups, prefetch);
    const names = (ts: MarketTable[]) => ts.map((t) => `${t.dataset}:${t.rows}`).join(",");
    if (names(tables) !== names(this.tables)) {
      this.tables = tables;
      this.hub.broadcast("tables", tables);
    }
    // Tables no page shows are dropped, not read: a page that comes back reads them anew.
    for (const dataset of [...this.series.keys()]) if (!shown.has(dataset)) this.series.delete(dataset);
    for (const dataset of shown) {
      const r = await this.readSeries(dataset);
      const prev = this.series.get(dataset);
      if (prev && prev.signature === r.signature) continue;
      const next = this.cache(dataset, r);
      const delta = seriesDelta(prev?.points, next.points);
      if (delta.mode === "append" && delta.points.length === 0) continue;
      // fileTime: when the processor wrote this version, so a page can tell how late it heard of it.
      this.hub.broadcast(
        "market",
        { dataset, volumeOf: next.volumeOf, fileTime: r.mtimeMs, ...delta },
        (c) => c.dataset === dataset,
      );
    }
    this.endRound("binance", mtimeMs);
  }

  private async twitterChanged(files: readonly StoreFile[]): Promise<void> {
    this.reloads.inc({ file: "twitter" });
    const { maxWindows, tweets } = this.cfg;
    const store = this.beginRound("twitter", files);
    // One row per window and source: read enough rows for maxWindows windows of every source.
    const sentimentRows = maxWindows * SENTIMENT_SOURCES;
    const deleted = new Set<string>();
    let mtimeMs: number | undefined;
    for (const f of openFiles(store.groups)) {
      const r = await store.reader.read(f.path, [
        tailQuery("/sentiment", sentimentRows),
        lastQuery("/tweets", tweets),
        DELETES_QUERY,
      ]);
      if (!r) continue;
      mtimeMs = Math.max(mtimeMs ?? 0, r.mtimeMs);
      for (const id of (r.values.get(DELETES_QUERY.key) as DeleteIds).ids) deleted.add(id);
    }

    const sentiment = await windowRows(
      store.reader,
      store.groups,
      "/sentiment",
      maxWindows,
      sentimentRows,
      OPEN_PERIODS,
    );
    if (sentiment.signature !== this.sentimentSignature) {
      const next = sentimentSeries(sentiment.rows, maxWindows);
      const delta = seriesDelta(this.sentiment, next);
      this.sentiment = next;
      this.sentimentSignature = sentiment.signature;
      if (delta.mode === "reset" || delta.points.length > 0)
        this.hub.broadcast("sentiment", { ...delta, fileTime: sentiment.mtimeMs });
    }

    const rows = await newestRows(store.reader, store.groups, "/tweets", tweets, POST_PERIODS, "id");
    // Deletes recorded in the open partitions blank posts of older ones too.
    const next = markDeleted(postViews(rows.rows), deleted).posts;
    const change = postsChange(this.posts, next, tweets);
    this.posts = next;
    if (change.mode === "reset") this.hub.broadcast("posts", { mode: "reset", posts: next });
    else {
      if (change.posts.length > 0) this.hub.broadcast("posts", { mode: "prepend", posts: change.posts });
      if (change.deleted.length > 0) this.hub.broadcast("posts", { mode: "deleted", ids: change.deleted });
    }
    this.endRound("twitter", mtimeMs);
  }
}
