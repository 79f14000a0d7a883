import WebSocket from "ws";
import type { Logger } from "@cryptostream/common";
import { type BackoffPolicy, backoffDelay } from "@cryptostream/common/retry/backoff";

/**
 * Owns the websocket to a Binance combined stream: connecting, answering
 * pings (ws does that itself), noticing a silent connection, reconnecting
 * with backoff after any close or error, and rolling the connection over
 * before Binance's 24-hour limit or when the server announces a shutdown.
 * It never gives up: network faults are logged and retried forever.
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
}

export interface FeedEvents {
  message(text: string, receivedAtMs: number): void;
  connected?(info: { attempt: number; gapMs: number | undefined }): void;
}

export class BinanceFeed {
  private ws: WebSocket | undefined;
  private stopped = false;
  private attempt = 0;
  private lastDisconnectAt: number | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private rollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  connectedSince: number | undefined;
  reconnects = 0;

  constructor(
    private readonly opts: FeedOptions,
    private readonly on: FeedEvents,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.connect();
  }

  isConnected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Closes the current connection and reconnects at once (serverShutdown, 24 h roll-over). */
  rollOver(reason: string): void {
    this.log.info("rolling connection over", { reason });
    this.attempt = 0;
    this.drop(reason, 0);
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.opts.url, { handshakeTimeout: this.opts.handshakeTimeoutMs });
    this.ws = ws;
    ws.on("open", () => {
      if (ws !== this.ws) return;
      const gapMs = this.lastDisconnectAt === undefined ? undefined : Date.now() - this.lastDisconnectAt;
      this.connectedSince = Date.now();
      this.log.info(gapMs === undefined ? "connected" : "reconnected", {
        attempt: this.attempt,
        gapMs,
        url: this.opts.url,
      });
      this.on.connected?.({ attempt: this.attempt, gapMs });
      this.attempt = 0;
      this.armStale(ws);
      this.rollTimer = setTimeout(() => this.rollOver("connection age limit"), this.opts.maxConnectionMs);
    });
    ws.on("message", (data, isBinary) => {
      if (ws !== this.ws) return;
      this.armStale(ws);
      const text = isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString();
      this.on.message(text, Date.now());
    });
    ws.on("ping", () => ws === this.ws && this.armStale(ws));
    ws.on("pong", () => ws === this.ws && this.armStale(ws));
    ws.on("error", (err) => {
      if (ws !== this.ws) return;
      this.log.warn("websocket error", { error: err.message });
      // A 'close' event follows every error; reconnection happens there.
    });
    ws.on("close", (code, reason) => {
      if (ws !== this.ws) return;
      this.onClosed(`closed by peer (code ${code}${reason.length ? `, ${reason.toString()}` : ""})`);
    });
  }

  private armStale(ws: WebSocket): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      if (ws === this.ws) this.drop(`no data for ${this.opts.staleMs} ms`, undefined);
    }, this.opts.staleMs);
  }

  /** Abandons the current socket and schedules a new one. */
  private drop(reason: string, delayMs: number | undefined): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.removeAllListeners("message");
    ws?.on("error", () => undefined);
    ws?.terminate();
    this.onClosed(reason, delayMs);
  }

  private onClosed(reason: string, delayMs?: number): void {
    this.clearTimers();
    this.ws = undefined;
    if (this.connectedSince !== undefined) this.lastDisconnectAt = Date.now();
    this.connectedSince = undefined;
    if (this.stopped) return;
    this.lastDisconnectAt ??= Date.now();
    const wait = delayMs ?? backoffDelay(this.opts.backoff, this.attempt);
    this.attempt++;
    this.reconnects++;
    this.log.warn("disconnected; will reconnect", { reason, retryInMs: wait, attempt: this.attempt });
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  private clearTimers(): void {
    for (const t of [this.staleTimer, this.rollTimer, this.retryTimer]) if (t) clearTimeout(t);
    this.staleTimer = this.rollTimer = this.retryTimer = undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = undefined;
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
