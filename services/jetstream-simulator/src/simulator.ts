/**
 * The Jetstream simulator: an HTTP server whose GET /subscribe upgrades to a
 * websocket that streams JSON frames like bluesky-social/jetstream does
 * (wantedCollections, wantedDids, cursor replay from a bounded history), fed
 * by the seeded generator, plus control endpoints under /_sim/ for tests:
 * add posts and deletes, cut every connection, go silent. Programmatic entry
 * point for tests and the demo; main.ts wraps it as a service.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type Logger, silentLogger } from "@cryptostream/common";
import { closeServer, listenOn } from "@cryptostream/common/service/http-listen";
import { WebSocketServer, WebSocket } from "ws";
import { type CustomPost, EventGenerator, type HeldEvent, type PostRef } from "./generator.js";
import { History } from "./history.js";
import { parseSubscribeParams, type SubscribeParams, wants } from "./subscribe-params.js";

export type { CustomPost, HeldEvent, PostRef } from "./generator.js";

export interface JetstreamSimulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (a free port; read it back from `port`). */
  port?: number;
  /** Seed of the synthetic stream. Default "42". */
  seed?: string | number;
  /** Events per second generated live, of every kind; 0 freezes the stream. Default 20. */
  eventsPerSecond?: number;
  /** Events that exist at start (replayable with a cursor), spaced 1/rate s apart before now. Default 500. */
  initialEvents?: number;
  /** Events kept for cursor replay; older ones are gone. Default 100,000. */
  historySize?: number;
  /**
   * A cursor replays from this many seconds before what it asks, as the rewritten servers
   * were seen to (bluesky-social/jetstream issue 343). Default 0.
   */
  cursorSlackSeconds?: number;
  /** Cut each connection (no close frame) after it was sent this many frames; 0 = never. Default 0. */
  dropAfterEvents?: number;
  log?: Logger;
  /** Called after each frame sent (metrics hook). */
  onFrameSent?: () => void;
}

export interface JetstreamSimulatorStats {
  readonly connectionsOpen: number;
  readonly connectionsTotal: number;
  readonly framesSent: number;
  readonly drops: number;
  readonly events: number;
  readonly oldestSeq: number;
  readonly newestSeq: number;
  readonly newestTimeUs: number | null;
  /** The cursor each connection asked for, in connection order (null = live). */
  readonly cursors: Array<number | null>;
}

export interface JetstreamSimulator {
  /** ws://host:port without a path (clients append "/subscribe?..."). */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Adds `count` seeded events now and streams them. */
  generate(count: number): HeldEvent[];
  /** Adds one post now. */
  addPost(post: CustomPost): HeldEvent;
  /** Adds a delete of an earlier post now. */
  deletePost(ref: PostRef): HeldEvent;
  /** Every event kept, oldest first, with its ground truth. */
  events(): HeldEvent[];
  /** Cuts every open connection now, without a close frame; returns how many. */
  dropConnections(): number;
  /** Sends nothing (not even pings) for `ms`; events keep accumulating and follow afterwards. */
  silence(ms: number): void;
  stats(): JetstreamSimulatorStats;
}

export const SUBSCRIBE_PATH = "/subscribe";
/** A subscriber whose socket holds more than this unsent waits (the generator goes on). */
const MAX_BUFFERED_BYTES = 1 << 20;

interface Subscriber {
  readonly id: number;
  readonly ws: WebSocket;
  readonly socket: Duplex;
  readonly params: SubscribeParams;
  /** Seq of the next event to consider. */
  next: number;
  sent: number;
  waiting: NodeJS.Timeout | undefined;
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const v: unknown = text.trim() === "" ? {} : JSON.parse(text);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("body must be a JSON object");
  return v as Record<string, unknown>;
}

export async function startJetstreamSimulator(options: JetstreamSimulatorOptions = {}): Promise<JetstreamSimulator> {
  const log = options.log ?? silentLogger;
  const rate = options.eventsPerSecond ?? 20;
  const dropAfter = options.dropAfterEvents ?? 0;
  const slackUs = Math.round((options.cursorSlackSeconds ?? 0) * 1e6);
  const gen = new EventGenerator(options.seed ?? "42");
  const history = new History(options.historySize ?? 100_000);
  const subscribers = new Set<Subscriber>();
  const cursors: Array<number | null> = [];
  const counts = { connectionsTotal: 0, framesSent: 0, drops: 0 };
  let lastTimeUs = 0;
  let silentUntil = 0;
  let nextId = 1;
  let stopping = false;

  // time_us only grows, even for events made within the same microsecond.
  const stamp = (wantedUs = Date.now() * 1000): number => (lastTimeUs = Math.max(Math.floor(wantedUs), lastTimeUs + 1));

  const pump = (sub: Subscriber): void => {
    if (sub.waiting || sub.ws.readyState !== WebSocket.OPEN) return;
    const retryIn = (ms: number) => {
      sub.waiting = setTimeout(() => {
        sub.waiting = undefined;
        pump(sub);
      }, ms);
    };
    const quietMs = silentUntil - Date.now();
    if (quietMs > 0) return retryIn(quietMs);
    while (sub.next <= history.newestSeq) {
      if (sub.ws.bufferedAmount > MAX_BUFFERED_BYTES) return retryIn(20);
      // A subscriber that fell behind the history resumes at the oldest event kept.
      if (sub.next < history.oldestSeq) sub.next = history.oldestSeq;
      const e = history.at(sub.next)!;
      sub.next++;
      if (!wants(sub.params, e.frame)) continue;
      sub.ws.send(e.json);
      sub.sent++;
      counts.framesSent++;
      options.onFrameSent?.();
      if (dropAfter > 0 && sub.sent >= dropAfter) {
        counts.drops++;
        log.info("dropping connection (dropAfterEvents)", { conn: sub.id, sent: sub.sent });
        cut(sub);
        return;
      }
    }
  };

  const cut = (sub: Subscriber): void => {
    subscribers.delete(sub);
    if (sub.waiting) clearTimeout(sub.waiting);
    // No close frame: the client sees the TCP connection end, as when an instance dies.
    sub.socket.destroy();
  };

  const append = (e: HeldEvent): HeldEvent => {
    history.append(e);
    return e;
  };
  const publish = (events: HeldEvent[]): HeldEvent[] => {
    for (const s of subscribers) pump(s);
    return events;
  };

  // The history that exists before the first client connects.
  const initial = options.initialEvents ?? 500;
  const spacingUs = rate > 0 ? 1e6 / rate : 1e6;
  const t0 = Date.now() * 1000;
  for (let i = initial; i > 0; i--) append(gen.next(stamp(t0 - i * spacingUs)));

  const startedAt = Date.now();
  let generatedLive = 0;
  const ticker =
    rate > 0
      ? setInterval(() => {
          const due = Math.floor(((Date.now() - startedAt) / 1000) * rate) - generatedLive;
          const made: HeldEvent[] = [];
          for (let i = 0; i < due; i++) made.push(append(gen.next(stamp())));
          generatedLive += due;
          if (made.length > 0) publish(made);
        }, 50)
      : undefined;

  const onConnection = (ws: WebSocket, socket: Duplex, params: SubscribeParams): void => {
    const sub: Subscriber = {
      id: nextId++,
      ws,
      socket,
      params,
      next: history.startFor(params.cursorUs === undefined ? undefined : Math.max(1, params.cursorUs - slackUs)),
      sent: 0,
      waiting: undefined,
    };
    subscribers.add(sub);
    counts.connectionsTotal++;
    cursors.push(params.cursorUs ?? null);
    log.info("client connected", {
      conn: sub.id,
      cursor: params.cursorUs ?? null,
      startSeq: sub.next,
      collections: params.collections,
    });
    ws.on("error", (err) => log.debug("connection error", { conn: sub.id, err }));
    ws.on("close", () => {
      subscribers.delete(sub);
      if (sub.waiting) clearTimeout(sub.waiting);
      log.info("client disconnected", { conn: sub.id, sent: sub.sent });
    });
    pump(sub);
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const sim = {
    generate: (count: number) => publish(Array.from({ length: count }, () => append(gen.next(stamp())))),
    addPost: (post: CustomPost) => publish([append(gen.post(stamp(), post))])[0]!,
    deletePost: (ref: PostRef) => publish([append(gen.deletePost(stamp(), ref))])[0]!,
    events: () => history.all(),
    dropConnections: () => {
      const all = [...subscribers];
      for (const s of all) cut(s);
      counts.drops += all.length;
      return all.length;
    },
    silence: (ms: number) => {
      silentUntil = Math.max(silentUntil, Date.now() + ms);
    },
    stats: (): JetstreamSimulatorStats => ({
      connectionsOpen: subscribers.size,
      ...counts,
      events: history.size,
      oldestSeq: history.oldestSeq,
      newestSeq: history.newestSeq,
      newestTimeUs: history.newestTimeUs ?? null,
      cursors: [...cursors],
    }),
  };

  const control = async (req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> => {
    const m = req.method ?? "GET";
    if (m === "GET" && path === "/_sim/stats") return sendJson(res, 200, sim.stats());
    if (m === "GET" && path === "/_sim/events") return sendJson(res, 200, sim.events());
    if (m !== "POST") return sendJson(res, 405, { error: "use GET for stats and events, POST for the rest" });
    const body = await readJson(req);
    if (path === "/_sim/events") {
      const count = Number(body.count ?? 1);
      if (!Number.isInteger(count) || count < 1 || count > 100_000)
        return sendJson(res, 400, { error: "count 1..100000" });
      return sendJson(res, 200, sim.generate(count));
    }
    if (path === "/_sim/posts") {
      if (typeof body.text !== "string") return sendJson(res, 400, { error: "text (string) is required" });
      const langs = Array.isArray(body.langs) ? body.langs.map(String) : undefined;
      const did = typeof body.did === "string" ? body.did : undefined;
      return sendJson(res, 200, sim.addPost({ text: body.text, langs, did }));
    }
    if (path === "/_sim/deletes") {
      if (typeof body.did !== "string" || typeof body.rkey !== "string")
        return sendJson(res, 400, { error: "did and rkey (strings) are required" });
      return sendJson(res, 200, sim.deletePost({ did: body.did, rkey: body.rkey }));
    }
    if (path === "/_sim/drop") return sendJson(res, 200, { dropped: sim.dropConnections() });
    if (path === "/_sim/silence") {
      const ms = Number(body.ms);
      if (!(ms >= 0 && ms <= 3_600_000)) return sendJson(res, 400, { error: "ms 0..3600000" });
      sim.silence(ms);
      return sendJson(res, 200, { silentForMs: ms });
    }
    return sendJson(res, 404, { error: "not found" });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator.local");
    const path = url.pathname.replace(/\/+$/u, "");
    if (path.startsWith("/_sim/")) {
      control(req, res, path).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 400, { error: (err as Error).message });
      });
    } else if (path === SUBSCRIBE_PATH) {
      sendJson(res, 400, { error: "GET /subscribe must be a websocket upgrade" });
    } else {
      sendJson(res, 404, { error: "not found" });
    }
  });
  server.on("upgrade", (req, socket, head) => {
    // A client that resets during the handshake must not crash the simulator.
    socket.on("error", (err) => log.debug("socket error during upgrade", { err }));
    if (stopping) return rejectUpgrade(socket, 503, "simulator stopping");
    const url = new URL(req.url ?? "/", "http://simulator.local");
    if (url.pathname.replace(/\/+$/u, "") !== SUBSCRIBE_PATH) return rejectUpgrade(socket, 404, "not found");
    const params = parseSubscribeParams(url.searchParams);
    if ("error" in params) {
      log.warn("upgrade rejected", { url: req.url, reason: params.error });
      return rejectUpgrade(socket, 400, params.error);
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, socket, params));
  });

  await listenOn(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const address = server.address() as AddressInfo;
  const host = address.address === "0.0.0.0" || address.address === "::" ? "127.0.0.1" : address.address;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  let stopped: Promise<void> | undefined;
  return {
    ...sim,
    url: `ws://${urlHost}:${address.port}`,
    port: address.port,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        if (ticker) clearInterval(ticker);
        for (const s of [...subscribers]) {
          if (s.waiting) clearTimeout(s.waiting);
          s.ws.close(1001, "simulator stopping");
          s.ws.terminate();
        }
        subscribers.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closeServer(server);
      })()),
  };
}
