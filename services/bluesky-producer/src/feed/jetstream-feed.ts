/**
 * Owns the websocket to Jetstream: connects to one instance after another
 * (fail-over on any error or close), asks each time for the cursor to resume
 * from, reconnects with exponential backoff and full jitter, drops a
 * connection that stays silent too long (Jetstream sends a busy stream; a
 * silent socket is a dead one), and can stop reading while the publisher is
 * behind (TCP back-pressure; the watchdog is off meanwhile). Never gives up.
 * Frames are handed on as text; their meaning is posts/'s business.
 */
import WebSocket from "ws";
import type { Logger } from "@cryptostream/common";
import { type BackoffPolicy, backoffDelay } from "@cryptostream/common/retry/backoff";
import { subscribeUrl } from "./subscribe-url.js";

export interface JetstreamFeedOptions {
  /** Instance base URLs (ws:// or wss://), tried in turn. */
  readonly baseUrls: readonly string[];
  readonly backoff: BackoffPolicy;
  /** Reconnect when no frame arrived for this long. */
  readonly staleMs: number;
  readonly handshakeTimeoutMs: number;
}

export interface JetstreamFeedEvents {
  frame(text: string): void;
  /** The cursor to subscribe from (undefined = live), asked before every connection. */
  cursor(): number | undefined;
  connected?(info: { url: string; cursorUs: number | undefined; reconnect: boolean }): void;
}

type State = { readonly kind: "idle" } | { readonly kind: "socket"; readonly ws: WebSocket };

export class JetstreamFeed {
  private state: State = { kind: "idle" };
  private host = 0;
  private failures = 0;
  private everConnected = false;
  private paused = false;
  private stopped = false;
  private watchdog: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** When the current connection opened, or undefined while not connected. */
  openSince: number | undefined;
  /** When the last connection was lost (undefined until one was). */
  lostAt: number | undefined;
  reconnects = 0;
  currentUrl: string | undefined;

  constructor(
    private readonly opts: JetstreamFeedOptions,
    private readonly on: JetstreamFeedEvents,
    private readonly log: Logger,
  ) {
    if (opts.baseUrls.length === 0) throw new Error("no Jetstream URL");
  }

  start(): void {
    this.open();
  }

  isConnected(): boolean {
    return this.openSince !== undefined;
  }

  /** Stops reading frames (they wait in the kernel, then at the server) until resume(). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.disarm();
    if (this.state.kind === "socket") this.state.ws.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.state.kind === "socket") {
      this.state.ws.resume();
      this.arm(this.state.ws);
    }
  }

  private open(): void {
    if (this.stopped) return;
    const base = this.opts.baseUrls[this.host % this.opts.baseUrls.length]!;
    const cursorUs = this.on.cursor();
    const url = subscribeUrl(base, cursorUs);
    this.currentUrl = base;
    const ws = new WebSocket(url, { handshakeTimeout: this.opts.handshakeTimeoutMs, perMessageDeflate: false });
    this.state = { kind: "socket", ws };
    const mine = () => this.state.kind === "socket" && this.state.ws === ws;
    ws.on("open", () => {
      if (!mine()) return;
      this.openSince = Date.now();
      this.log.info(this.everConnected ? "reconnected" : "connected", {
        url: base,
        cursor: cursorUs ?? null,
        downMs: this.lostAt === undefined ? undefined : Date.now() - this.lostAt,
      });
      this.on.connected?.({ url: base, cursorUs, reconnect: this.everConnected });
      this.everConnected = true;
      if (this.paused) ws.pause();
      else this.arm(ws);
    });
    ws.on("message", (data, isBinary) => {
      if (!mine()) return;
      // A frame proves the instance works: the next failure starts the backoff afresh.
      this.failures = 0;
      if (!this.paused) this.arm(ws);
      this.on.frame(isBinary ? Buffer.from(data as Buffer).toString("utf8") : data.toString());
    });
    ws.on("unexpected-response", (_req, res) => {
      if (!mine()) return;
      this.abandon(`HTTP ${res.statusCode} on upgrade`);
    });
    ws.on("error", (err) => {
      if (mine()) this.log.warn("websocket error", { url: base, error: err.message });
      // 'close' follows every error; the reconnect is decided there.
    });
    ws.on("close", (code, reason) => {
      if (!mine()) return;
      this.lost(`closed (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ""})`);
    });
  }

  private arm(ws: WebSocket): void {
    this.disarm();
    this.watchdog = setTimeout(() => {
      if (this.state.kind === "socket" && this.state.ws === ws) this.abandon(`no frame for ${this.opts.staleMs} ms`);
    }, this.opts.staleMs);
  }

  private disarm(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  /** Gives up on the current socket without waiting for its close. */
  private abandon(reason: string): void {
    if (this.state.kind !== "socket") return;
    const ws = this.state.ws;
    ws.removeAllListeners("message");
    ws.on("error", () => undefined);
    ws.terminate();
    this.lost(reason);
  }

  private lost(reason: string): void {
    this.disarm();
    const wasOpen = this.openSince !== undefined;
    this.openSince = undefined;
    this.state = { kind: "idle" };
    if (this.stopped) return;
    if (wasOpen) this.lostAt = Date.now();
    this.lostAt ??= Date.now();
    // Fail over: the next attempt goes to the next instance.
    this.host = (this.host + 1) % this.opts.baseUrls.length;
    const wait = backoffDelay(this.opts.backoff, this.failures);
    this.failures++;
    this.reconnects++;
    this.log.warn("disconnected; will reconnect", {
      reason,
      retryInMs: wait,
      next: this.opts.baseUrls[this.host],
      failuresInRow: this.failures,
    });
    this.retry = setTimeout(() => this.open(), wait);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    if (this.retry) clearTimeout(this.retry);
    const s = this.state;
    this.state = { kind: "idle" };
    this.openSince = undefined;
    if (s.kind !== "socket") return;
    const ws = s.ws;
    ws.on("error", () => undefined);
    if (ws.readyState !== WebSocket.OPEN) return void ws.terminate();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => (ws.terminate(), resolve()), 1000);
      ws.once("close", () => (clearTimeout(t), resolve()));
      ws.close(1000, "shutting down");
    });
  }
}
