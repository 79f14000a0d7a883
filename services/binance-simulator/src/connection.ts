/**
 * One client connection: its subscriptions and framing (combined or raw),
 * its timers, and the ways it can end. Every send and every cut happens
 * synchronously on the event loop, so a cut always falls between two frames.
 */

import type { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { WebSocket } from "ws";
import type { StreamName } from "./streams.js";

export type EndReason =
  | "drop-after-ms"
  | "drop-every-messages"
  | "forced-drop"
  | "pong-timeout"
  | "server-shutdown"
  | "stopping"
  | "replay-exit";

export interface ConnectionHooks {
  /** Called after each data message is handed to the socket. */
  onDataSent(conn: Connection): void;
  /** Called once, when the connection stops taking data (before the socket is gone). */
  onEnding(conn: Connection, reason: EndReason | "client-closed"): void;
}

export class Connection {
  /** Data messages sent (generated or replayed); control replies are not counted. */
  sent = 0;
  /** Set as soon as the connection must not take more data. */
  ending = false;
  readonly streams = new Map<string, StreamName>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pongTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    private readonly socket: Duplex,
    public combined: boolean,
    private readonly hooks: ConnectionHooks,
  ) {}

  get open(): boolean {
    return !this.ending && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one data frame; false when the connection no longer takes data. */
  sendData(text: string): boolean {
    if (!this.open) return false;
    this.ws.send(text);
    this.sent += 1;
    this.hooks.onDataSent(this);
    return true;
  }

  /** Sends a frame that is not market data (method replies, serverShutdown). */
  sendControl(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    this.timers.add(t);
  }

  /** Sends a ping; if no pong comes within timeoutMs of the oldest unanswered ping, calls onTimeout. */
  ping(timeoutMs: number, onTimeout: () => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.ping();
    if (this.pongTimer) return;
    this.pongTimer = setTimeout(() => {
      this.pongTimer = undefined;
      onTimeout();
    }, timeoutMs);
  }

  pongReceived(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private beginEnd(reason: EndReason | "client-closed"): boolean {
    if (this.ending) return false;
    this.ending = true;
    this.clearTimers();
    this.hooks.onEnding(this, reason);
    return true;
  }

  /**
   * Cuts the connection without a websocket close frame. "flush" half-closes
   * TCP so every frame already sent still arrives; "reset" sends an RST.
   */
  drop(reason: EndReason, style: "flush" | "reset"): void {
    if (!this.beginEnd(reason)) return;
    const sock = this.socket as Socket;
    if (style === "reset" && typeof sock.resetAndDestroy === "function") {
      sock.resetAndDestroy();
      return;
    }
    sock.end();
    // The client answers our FIN with its own; if it never does, free the socket anyway.
    setTimeout(() => sock.destroy(), 5_000).unref();
  }

  /** Closes with a websocket close frame, after the frames already sent. */
  close(reason: EndReason, code: number, text: string): void {
    if (!this.beginEnd(reason)) return;
    this.ws.close(code, text);
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }

  /** The client closed (or the socket failed): stop everything for this connection. */
  closedByPeer(): void {
    this.beginEnd("client-closed");
  }

  /** Batches the following sends into one socket write (until uncork). */
  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pongReceived();
  }
}
