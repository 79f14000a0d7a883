import WebSocket from "ws";
import type { Logger } from "@cryptostream/common";
import { type BackoffPolicy, backoffDelay } from "@cryptostream/common/retry/backoff";

/**
 * Owns the websocket to a Binance combined stream: connecting, answering
 * pings (ws does that itself), noticing a silent connection, reconnecting
 * with backoff after any close or error, and rolling the connection over
 * before Binance's 24-hour limit or when the server announces a shutdown.
 * It never gives up: network faults are logged and retried forever.
 *
 * Roll-overs are make-before-break: a successor connection is opened while the
 * old one keeps delivering; once the successor delivers its first data frame
 * the old one is closed gracefully (its frames in flight still arrive, so
 * nothing is lost; the owner drops what both delivered). If the successor
 * does not deliver within `rollOverTimeoutMs`, the feed falls back to
 * break-before-make and reports the loss with the roll-over's cause.
 * Messages are handed on as raw text; their meaning is events/'s business.
 */

export interface FeedOptions {
  readonly url: string;
  readonly backoff: BackoffPolicy;
  /** Reconnect when nothing (not even a ping) arrived for this long. */
  readonly staleMs: number;
  /** Roll the connection over after this long (Binance closes at 24 h). */
  readonly maxConnectionMs: number;
  readonly handshakeTimeoutMs: number;
  /** How long a roll-over's successor may take to deliver before the old connection is dropped anyway. */
  readonly rollOverTimeoutMs: number;
}

/** What the owner made of a frame: the feed only needs to know data from a shutdown notice. */
export type FrameKind = "data" | "serverShutdown" | "other";
/** Why a connection that had delivered data was lost (the gap marker's cause). */
export type LossCause = "drop" | "stale" | "roll-over" | "shutdown";
export type RollOverCause = "roll-over" | "shutdown";

export interface FeedEvents {
  /**
   * Every frame of every live connection, oldest connection first: during a roll-over the new
   * connection's frames wait until the old one has closed (its frames in flight all arrive
   * first), so nothing is lost and what both deliver comes in order.
   */
  message(text: string, receivedAtMs: number, connId: number): FrameKind;
  /** What a frame is, without handing it on (tells when a roll-over's new connection delivers). */
  kindOf(text: string): FrameKind;
  connected?(info: { attempt: number; gapMs: number | undefined }): void;
  /** A connection that had delivered data is gone and no successor took over: events may be missing. */
  lost?(cause: LossCause): void;
  /** A make-before-break roll-over completed: nothing was lost. */
  rolledOver?(cause: RollOverCause): void;
}

interface Conn {
  readonly id: number;
  readonly ws: WebSocket;
  /** Handed on at least one data frame. */
  delivered: boolean;
  /** Frames that wait for older connections to finish. */
  held: Array<{ readonly text: string; readonly at: number }>;
}

/** Longest wait for a retiring connection's close handshake (its frames in flight arrive before it). */
const RETIRE_TIMEOUT_MS = 2_000;

const ROLL_REASONS: Record<RollOverCause, string> = {
  "roll-over": "connection age limit",
  shutdown: "server announced shutdown",
};

export class BinanceFeed {
  private current: Conn | undefined;
  private successor: { conn: Conn; cause: RollOverCause; timer: NodeJS.Timeout } | undefined;
  /** Old connections closing gracefully after a roll-over: their last frames still count. */
  private readonly retiring = new Set<Conn>();
  /** Connections whose frames count, oldest first; only the first one's frames go on at once. */
  private order: Conn[] = [];
  private stopped = false;
  private attempt = 0;
  private nextId = 1;
  private lastDisconnectAt: number | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private rollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  connectedSince: number | undefined;
  reconnects = 0;
  rollOvers = 0;

  constructor(
    private readonly opts: FeedOptions,
    private readonly on: FeedEvents,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.connect();
  }

  isConnected(): boolean {
    return this.current?.ws.readyState === WebSocket.OPEN;
  }

  /** Starts a make-before-break roll-over (serverShutdown, age limit); ignored while one is under way. */
  rollOver(cause: RollOverCause): void {
    const old = this.current;
    if (this.stopped || this.successor || !old || old.ws.readyState !== WebSocket.OPEN) return;
    this.log.info("rolling connection over", { reason: ROLL_REASONS[cause] });
    const conn = this.open();
    const timer = setTimeout(
      () => this.rollOverFailed(`no data within ${this.opts.rollOverTimeoutMs} ms`),
      this.opts.rollOverTimeoutMs,
    );
    this.successor = { conn, cause, timer };
  }

  private open(): Conn {
    const ws = new WebSocket(this.opts.url, { handshakeTimeout: this.opts.handshakeTimeoutMs });
    const conn: Conn = { id: this.nextId++, ws, delivered: false, held: [] };
    this.order.push(conn);
    ws.on("open", () => this.onOpen(conn));
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString();
      this.onMessage(conn, text);
    });
    ws.on("ping", () => conn === this.current && this.armStale(conn));
    ws.on("pong", () => conn === this.current && this.armStale(conn));
    ws.on("error", (err) => {
      if (conn === this.current || conn === this.successor?.conn)
        this.log.warn("websocket error", { error: err.message, hint: handshakeHint(err.message) });
      // A 'close' event follows every error; reconnection happens there.
    });
    ws.on("close", (code, reason) => this.onClose(conn, code, reason.toString()));
    return conn;
  }

  private connect(): void {
    if (this.stopped) return;
    this.current = this.open();
  }

  private onOpen(conn: Conn): void {
    if (conn === this.successor?.conn) {
      this.log.info("roll-over connection open; waiting for its first data", { conn: conn.id });
      return;
    }
    if (conn !== this.current) return;
    const gapMs = this.lastDisconnectAt === undefined ? undefined : Date.now() - this.lastDisconnectAt;
    this.connectedSince = Date.now();
    this.log.info(gapMs === undefined ? "connected" : "reconnected", {
      attempt: this.attempt,
      gapMs,
      url: this.opts.url,
    });
    this.on.connected?.({ attempt: this.attempt, gapMs });
    this.attempt = 0;
    this.armStale(conn);
    this.armRoll();
  }

  private onMessage(conn: Conn, text: string): void {
    if (!this.order.includes(conn)) return;
    if (conn === this.current) this.armStale(conn);
    if (conn === this.order[0]) this.deliver(conn, text, Date.now());
    else conn.held.push({ text, at: Date.now() });
    if (conn === this.successor?.conn && this.on.kindOf(text) === "data") this.promoteSuccessor();
  }

  private deliver(conn: Conn, text: string, at: number): void {
    const kind = this.on.message(text, at, conn.id);
    if (kind === "data") conn.delivered = true;
    else if (kind === "serverShutdown" && conn === this.current) this.rollOver("shutdown");
  }

  /** conn's frames no longer count; if it was the oldest, the next one's held frames go on. */
  private leave(conn: Conn): void {
    const i = this.order.indexOf(conn);
    if (i < 0) return;
    this.order.splice(i, 1);
    const head = this.order[0];
    if (i !== 0 || !head) return;
    const held = head.held;
    head.held = [];
    for (const h of held) this.deliver(head, h.text, h.at);
  }

  /** The successor delivered: it becomes the connection, the old one closes after its frames in flight. */
  private promoteSuccessor(): void {
    const s = this.successor;
    if (!s) return;
    clearTimeout(s.timer);
    this.successor = undefined;
    const old = this.current;
    this.current = s.conn;
    this.rollOvers++;
    this.reconnects++;
    if (old) this.retire(old);
    this.connectedSince = Date.now();
    this.log.info("reconnected", { attempt: 0, gapMs: 0, rollOver: s.cause, url: this.opts.url });
    this.on.connected?.({ attempt: 0, gapMs: 0 });
    this.on.rolledOver?.(s.cause);
    this.armStale(s.conn);
    this.armRoll();
  }

  /** Closes with a close frame: the server sends what it queued first, so no frame in flight is lost. */
  private retire(conn: Conn): void {
    this.retiring.add(conn);
    conn.ws.on("error", () => undefined);
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(1000, "rolled over");
    else conn.ws.terminate();
    setTimeout(() => {
      if (!this.retiring.delete(conn)) return;
      conn.ws.terminate();
      this.leave(conn);
    }, RETIRE_TIMEOUT_MS).unref();
  }

  private rollOverFailed(why: string): void {
    const s = this.successor;
    if (!s) return;
    this.log.warn("make-before-break roll-over failed; reconnecting break-before-make", {
      reason: why,
      cause: s.cause,
    });
    this.successor = undefined;
    clearTimeout(s.timer);
    this.discard(s.conn);
    this.drop(s.cause, 0);
  }

  private onClose(conn: Conn, code: number, reason: string): void {
    if (this.retiring.delete(conn)) return this.leave(conn);
    const what = `closed by peer (code ${code}${reason.length ? `, ${reason}` : ""})`;
    if (conn === this.successor?.conn) {
      this.rollOverFailed(`roll-over connection ${what}`);
      return;
    }
    if (conn !== this.current) return;
    const s = this.successor;
    if (s) {
      // The old connection ended before its successor delivered: a gap, caused by the roll-over.
      clearTimeout(s.timer);
      this.successor = undefined;
      this.log.warn("connection ended during a roll-over; its successor takes over", {
        reason: what,
        cause: s.cause,
      });
      this.abandonRetiring();
      this.leave(conn);
      if (conn.delivered) this.on.lost?.(s.cause);
      this.clearTimers();
      this.lastDisconnectAt = Date.now();
      this.current = s.conn;
      this.reconnects++;
      if (s.conn.ws.readyState === WebSocket.OPEN) this.onOpen(s.conn);
      return;
    }
    this.onClosed(conn, "drop", what);
  }

  private armStale(conn: Conn): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      if (conn === this.current) this.drop("stale", undefined, `no data for ${this.opts.staleMs} ms`);
    }, this.opts.staleMs);
  }

  private armRoll(): void {
    if (this.rollTimer) clearTimeout(this.rollTimer);
    this.rollTimer = setTimeout(() => this.rollOver("roll-over"), this.opts.maxConnectionMs);
  }

  /** Ends a connection now; its frames not yet handed on are dropped unless older ones are done. */
  private discard(conn: Conn): void {
    conn.ws.removeAllListeners("message");
    conn.ws.on("error", () => undefined);
    conn.ws.terminate();
    this.leave(conn);
  }

  /** Ends any retiring connection at once, so what the newer ones hold goes on. */
  private abandonRetiring(): void {
    for (const c of [...this.retiring]) {
      this.retiring.delete(c);
      c.ws.terminate();
      this.leave(c);
    }
  }

  /** Abandons a roll-over's new connection that has not taken over yet. */
  private dropSuccessor(): void {
    const succ = this.successor;
    if (!succ) return;
    clearTimeout(succ.timer);
    this.successor = undefined;
    succ.conn.held = [];
    this.discard(succ.conn);
  }

  /** Abandons the current socket (and any successor) and schedules a new one. */
  private drop(cause: LossCause, delayMs: number | undefined, reason: string = cause): void {
    this.dropSuccessor();
    const conn = this.current;
    if (!conn) return;
    this.abandonRetiring();
    this.discard(conn);
    this.onClosed(conn, cause, reason, delayMs);
  }

  private onClosed(conn: Conn, cause: LossCause, reason: string, delayMs?: number): void {
    if (conn === this.current) {
      this.abandonRetiring();
      this.leave(conn);
    }
    this.clearTimers();
    this.current = undefined;
    if (conn.delivered) this.on.lost?.(cause);
    if (this.connectedSince !== undefined) this.lastDisconnectAt = Date.now();
    this.connectedSince = undefined;
    if (this.stopped) return;
    this.lastDisconnectAt ??= Date.now();
    const wait = delayMs ?? backoffDelay(this.opts.backoff, this.attempt);
    this.attempt++;
    this.reconnects++;
    this.log.warn("disconnected; will reconnect", { reason, cause, retryInMs: wait, attempt: this.attempt });
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  private clearTimers(): void {
    for (const t of [this.staleTimer, this.rollTimer, this.retryTimer]) if (t) clearTimeout(t);
    this.staleTimer = this.rollTimer = this.retryTimer = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.dropSuccessor();
    this.abandonRetiring();
    const conn = this.current;
    this.current = undefined;
    const ws = conn?.ws;
    if (conn) this.leave(conn);
    if (!ws) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      ws.on("error", () => undefined);
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, "shutting down");
    });
  }
}

/**
 * What a refused handshake usually means with Binance (ws reports "Unexpected server
 * response: <status>"): 451 and 403 come from its location rules, which no retry changes.
 */
export function handshakeHint(message: string): string | undefined {
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (status === "451" || status === "403")
    return "Binance refuses connections from this location; Binance.US users set BINANCE_WS_URL=wss://stream.binance.us:9443 and BINANCE_REST_URL=https://api.binance.us (retrying meanwhile)";
  if (status === "429") return "too many connection attempts from this IP; the backoff keeps retrying";
  return undefined;
}
