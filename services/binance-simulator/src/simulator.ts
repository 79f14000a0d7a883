/**
 * The Binance spot stream simulator: an HTTP server whose websocket upgrades
 * on /stream?streams=..., /stream, /ws and /ws/<stream> behave like
 * stream.binance.com, fed either by generated market data or by a replay file,
 * with pings and injectable faults. Programmatic entry point for tests, the
 * demo and benchmarks; main.ts wraps it as a service.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Registry, silentLogger, standardMetrics } from "@cryptostream/common";
import { WebSocketServer, type WebSocket } from "ws";
import { Connection, type EndReason } from "./connection.js";
import { handleControlMessage } from "./control-messages.js";
import { KlineFeed } from "./kline-feed.js";
import { LiveFeed } from "./live-feed.js";
import { createMarket } from "./market.js";
import { resolveOptions, type SimulatorOptions } from "./options.js";
import type { ServerShutdownEvent } from "./payloads.js";
import { loadReplayLines, Replay } from "./replay.js";
import { clockSeed } from "./rng.js";
import { parseStreamList, type StreamName } from "./streams.js";
import { createRestApi } from "./rest-api.js";
import { type HistoricTrade, TradeHistory } from "./trade-history.js";

export type { SimulatorOptions } from "./options.js";

export interface SimulatorStats {
  readonly mode: "generate" | "replay";
  readonly seed: number;
  readonly connectionsOpen: number;
  readonly connectionsTotal: number;
  /** Data frames sent (generated or replayed), over all connections. */
  readonly messagesSent: number;
  /** Connections cut by fault injection (drop-after-ms, drop-every-messages). */
  readonly drops: number;
  readonly pingsSent: number;
  readonly pongsReceived: number;
  readonly pongTimeouts: number;
  readonly serverShutdownsSent: number;
  readonly controlRequests: number;
  /** Generator ticks paused because a client's send buffer was full. */
  readonly throttledTicks: number;
  readonly replay?: { readonly lines: number; readonly cursor: number; readonly finished: boolean };
  /** GET /api/v3/aggTrades requests, and those answered 429. */
  readonly restRequests: number;
  readonly restRateLimited: number;
}

export interface BinanceSimulator {
  /** ws://host:port, without a path (append "/stream?streams=..."). */
  readonly url: string;
  readonly port: number;
  /** http://host:port, the REST base URL (GET /api/v3/aggTrades). */
  readonly restUrl: string;
  stop(): Promise<void>;
  stats(): SimulatorStats;
  /** Cuts every open connection now (as SIM_DROP_* do); returns how many. */
  dropConnections(style?: "flush" | "reset"): number;
  /** Sends serverShutdown on every open connection now (closed after the grace time); returns how many. */
  serverShutdownConnections(): number;
  /**
   * A network outage: cuts every open connection (reset) and refuses new ones with 503 for
   * `ms`, while the market keeps trading and REST keeps serving; returns how many were cut.
   */
  outage(ms: number): number;
  /** The aggregate trades the market made for a symbol (upper case), oldest first, as REST serves them. */
  tradeHistory(symbol: string): HistoricTrade[];
}

/** Binance allows at most this many streams on one connection. */
const MAX_STREAMS = 1024;

interface Route {
  readonly combined: boolean;
  readonly streams: StreamName[];
}

/** Maps an upgrade request to framing and initial streams; a string is an HTTP error. */
function routeFor(rawUrl: string | undefined): Route | { status: number; message: string } {
  const url = new URL(rawUrl ?? "/", "http://simulator");
  const path = url.pathname.replace(/\/+$/, "");
  try {
    if (path === "/stream") return { combined: true, streams: parseStreamList(url.searchParams.get("streams") ?? "") };
    if (path === "/ws") return { combined: false, streams: [] };
    if (path.startsWith("/ws/"))
      return { combined: false, streams: parseStreamList(decodeURIComponent(path.slice(4))) };
  } catch (err) {
    return { status: 400, message: (err as Error).message };
  }
  return { status: 404, message: "not found" };
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ code: -1, msg: message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startBinanceSimulator(options: SimulatorOptions = {}): Promise<BinanceSimulator> {
  const o = resolveOptions(options, clockSeed);
  const log = (options.log ?? silentLogger).child({ component: "binance-simulator" });
  const registry = options.registry ?? new Registry();
  const std = standardMetrics(registry);
  const m = {
    connections: registry.gauge("binance_sim_connections", "Open client connections."),
    connectionsTotal: registry.counter("binance_sim_connections_total", "Client connections accepted."),
    faults: registry.counter("binance_sim_faults_total", "Connections ended by the simulator, by reason."),
    pings: registry.counter("binance_sim_pings_total", "Pings sent to clients."),
  };

  const lines = o.replayFile ? await loadReplayLines(o.replayFile) : undefined;
  const replay = lines
    ? new Replay({
        lines,
        rate: o.replayRate,
        resume: o.replayResume,
        maxBufferedBytes: o.maxBufferedBytes,
        onEnd: () => {
          log.info("replay reached the end of the file", { lines: lines.length });
          o.onReplayEnd?.();
        },
      })
    : undefined;
  const history = new TradeHistory(o.tradeHistory);
  const marketSymbols = new Set(o.symbols);
  const klines = new KlineFeed(o.clock, (symbol) => marketSymbols.has(symbol));
  const rest = createRestApi({
    history,
    symbols: new Set(o.symbols.map((s) => s.toUpperCase())),
    weightLimit: o.restWeightLimit,
    inject429Every: o.rest429Every,
    inject418Every: o.rest418Every,
    retryAfterS: o.restRetryAfterS,
    now: Date.now,
  });
  const feed = replay
    ? undefined
    : new LiveFeed({
        market: createMarket({
          symbols: o.symbols,
          seed: o.seed,
          onTrade: (symbol, a, p, q, f, l, T, m) => {
            history.record(symbol, a, p, q, f, l, T, m);
            if (klines.active) klines.onTrade(symbol, p, q, f, l, T, m);
          },
        }),
        alwaysOn: o.marketAlwaysOn,
        onEvent: options.onEvent,
        intervalMs: o.intervalMs,
        rate: o.rate,
        clock: o.clock,
        maxBufferedBytes: o.maxBufferedBytes,
      });

  const counts = {
    connectionsTotal: 0,
    messagesSent: 0,
    drops: 0,
    pingsSent: 0,
    pongsReceived: 0,
    pongTimeouts: 0,
    serverShutdownsSent: 0,
    controlRequests: 0,
  };
  const connections = new Set<Connection>();
  let nextId = 1;
  let stopping = false;
  /** Wall-clock ms until which websocket upgrades are refused (outage). */
  let outageUntil = 0;

  const hooks = {
    onDataSent: () => {
      counts.messagesSent += 1;
      std.messagesOut.inc();
    },
    onEnding: (conn: Connection, reason: EndReason | "client-closed") => {
      feed?.removeConnection(conn);
      klines.removeConnection(conn);
      if (reason !== "client-closed" && reason !== "stopping") m.faults.inc({ reason });
      log.info("connection ending", { conn: conn.id, reason, sent: conn.sent });
    },
  };

  const subscribe = (conn: Connection, names: StreamName[]): void => {
    for (const s of names) {
      if (conn.streams.size >= MAX_STREAMS && !conn.streams.has(s.name)) break;
      conn.streams.set(s.name, s);
      if (feed && klines.produces(s)) {
        if (!conn.ending) klines.subscribe(conn, s);
        continue;
      }
      if (feed && !feed.produces(s))
        log.warn("stream has no simulated data; it stays silent", { conn: conn.id, stream: s.name });
      if (!conn.ending) feed?.subscribe(conn, s);
    }
  };

  const onMessage = (conn: Connection, text: string): void => {
    counts.controlRequests += 1;
    const out = handleControlMessage(text, { streams: new Set(conn.streams.keys()), combined: conn.combined });
    if (out.subscribe) subscribe(conn, out.subscribe);
    for (const name of out.unsubscribe ?? []) {
      conn.streams.delete(name);
      feed?.unsubscribe(conn, name);
      klines.unsubscribe(conn, name);
    }
    if (out.combined !== undefined) conn.combined = out.combined;
    conn.sendControl(JSON.stringify(out.reply));
  };

  const sendServerShutdown = (conn: Connection): void => {
    const event: ServerShutdownEvent = { e: "serverShutdown", E: o.clock() };
    conn.sendControl(JSON.stringify(o.serverShutdownFormat === "wrapped" ? { event } : event));
    counts.serverShutdownsSent += 1;
    log.info("serverShutdown sent", { conn: conn.id, graceMs: o.serverShutdownGraceMs });
    conn.after(o.serverShutdownGraceMs, () => conn.close("server-shutdown", 1001, "server shutdown"));
  };

  const onConnection = (ws: WebSocket, socket: Duplex, route: Route, path: string): void => {
    const conn = new Connection(nextId++, ws, socket, route.combined, {
      onDataSent: (c) => {
        hooks.onDataSent();
        if (o.dropEveryMessages > 0 && c.sent >= o.dropEveryMessages) {
          counts.drops += 1;
          c.drop("drop-every-messages", o.dropStyle);
        }
      },
      onEnding: hooks.onEnding,
    });
    connections.add(conn);
    counts.connectionsTotal += 1;
    m.connectionsTotal.inc();
    m.connections.set(connections.size);
    log.info("client connected", { conn: conn.id, path, streams: route.streams.map((s) => s.name) });

    ws.on("message", (data, isBinary) => {
      if (!isBinary) onMessage(conn, data.toString());
    });
    ws.on("pong", () => {
      counts.pongsReceived += 1;
      conn.pongReceived();
    });
    ws.on("error", (err) => log.debug("connection error", { conn: conn.id, err }));
    ws.on("close", (code) => {
      conn.closedByPeer();
      connections.delete(conn);
      m.connections.set(connections.size);
      log.info("client disconnected", { conn: conn.id, code, sent: conn.sent });
    });

    if (o.pingIntervalMs > 0) {
      conn.every(o.pingIntervalMs, () => {
        counts.pingsSent += 1;
        m.pings.inc();
        conn.ping(o.pongTimeoutMs, () => {
          counts.pongTimeouts += 1;
          log.warn("no pong in time; cutting the connection", { conn: conn.id, timeoutMs: o.pongTimeoutMs });
          conn.drop("pong-timeout", "reset");
        });
      });
    }
    if (o.dropAfterMs > 0) {
      conn.after(o.dropAfterMs, () => {
        counts.drops += 1;
        conn.drop("drop-after-ms", o.dropStyle);
      });
    }
    if (o.serverShutdownAfterMs > 0) conn.after(o.serverShutdownAfterMs, () => sendServerShutdown(conn));

    subscribe(conn, route.streams);
    if (replay) {
      replay.pump(conn).catch((err: unknown) => log.error("replay failed", { conn: conn.id, err }));
    }
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const server = http.createServer((req, res) => {
    if (rest.handle(req, res)) return;
    res
      .writeHead(404, { "content-type": "text/plain" })
      .end("websocket endpoints: /stream?streams=..., /ws/<stream>\n");
  });
  server.on("upgrade", (req, socket, head) => {
    // A client that resets during the handshake must not crash the simulator.
    socket.on("error", (err) => log.debug("socket error during upgrade", { err }));
    if (stopping) return rejectUpgrade(socket, 503, "simulator stopping");
    if (Date.now() < outageUntil) return rejectUpgrade(socket, 503, "outage");
    const route = routeFor(req.url);
    if ("status" in route) {
      log.warn("upgrade rejected", { url: req.url, status: route.status, reason: route.message });
      return rejectUpgrade(socket, route.status, route.message);
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, socket, route, req.url ?? ""));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = o.host === "0.0.0.0" || o.host === "::" ? "127.0.0.1" : o.host.includes(":") ? `[${o.host}]` : o.host;
  log.info("listening", {
    host: o.host,
    port,
    mode: replay ? "replay" : "generate",
    seed: o.seed,
    replayLines: lines?.length,
  });

  const dropConnections = (style: "flush" | "reset" = o.dropStyle): number => {
    let n = 0;
    for (const c of connections) {
      if (c.ending) continue;
      counts.drops += 1;
      c.drop("forced-drop", style);
      n++;
    }
    log.info("forced drop", { connections: n, style });
    return n;
  };
  const serverShutdownConnections = (): number => {
    let n = 0;
    for (const c of connections) {
      if (c.ending) continue;
      sendServerShutdown(c);
      n++;
    }
    return n;
  };
  const outage = (ms: number): number => {
    outageUntil = Date.now() + ms;
    log.info("outage", { ms });
    return dropConnections("reset");
  };
  const forceTimers = o.forceDropsAtMs.map((t) => setTimeout(() => dropConnections(), t));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      for (const t of forceTimers) clearTimeout(t);
      feed?.stop();
      klines.stop();
      const closing = [...connections].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.ws.once("close", () => resolve());
            c.close("stopping", 1001, "simulator stopping");
          }),
      );
      const closedAll = Promise.all(closing);
      await Promise.race([closedAll, new Promise((r) => setTimeout(r, 2_000).unref())]);
      for (const c of connections) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await serverClosed;
      log.info("stopped", { messagesSent: counts.messagesSent });
    })());

  return {
    url: `ws://${urlHost}:${port}`,
    restUrl: `http://${urlHost}:${port}`,
    port,
    stop,
    dropConnections,
    serverShutdownConnections,
    outage,
    tradeHistory: (symbol) => history.all(symbol.toUpperCase()),
    stats: () => ({
      mode: replay ? "replay" : "generate",
      seed: o.seed,
      connectionsOpen: connections.size,
      ...counts,
      throttledTicks: feed?.throttledTicks ?? 0,
      restRequests: rest.stats.requests,
      restRateLimited: rest.stats.rateLimited,
      ...(replay ? { replay: { lines: replay.lineCount, cursor: replay.cursor, finished: replay.finished } } : {}),
    }),
  };
}
