import * as zmq from "zeromq";
import type { BatchHandler, CommitPoint, Consumer, Delivery } from "../transport.js";
import { PauseGate } from "./pause-gate.js";
import { type ZmqEndpoints, type ZmqOptions, defaultZmqOptions, endpointFor } from "./options.js";

/** A received frame; its offset (a local counter) is only formatted when asked for. */
export class ZmqDelivery implements Delivery {
  readonly key = undefined;
  readonly partition = 0;
  constructor(
    readonly topic: string,
    readonly value: Buffer,
    private readonly seq: number,
  ) {}
  get offset(): string {
    return String(this.seq);
  }
}

/** Bounds of one batch handed to the handler: events and bytes, whichever is reached first. */
export interface ZmqBatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

export const defaultZmqBatchLimits: ZmqBatchLimits = { maxEvents: 1_000, maxBytes: 4 * 2 ** 20 };

const isEagain = (err: unknown) => (err as { code?: string }).code === "EAGAIN";

/**
 * Consumer side of ZeroMQ push-pull: connects a PULL socket to the topic's
 * endpoint and hands the handler batches of whatever is already queued, up to
 * `limits` events or bytes. ZeroMQ keeps no log, so `commit` has nothing to
 * do: what a processor has not written when it dies is gone.
 *
 * Reading is cheap per message because the socket's receive timeout is 0
 * while a batch is drained: each receive() is then one non-blocking
 * zmq_msg_recv, settled before it returns, with no readiness poll per message
 * (`readable` costs a ZMQ_EVENTS query, which made single-frame intake about
 * twice as expensive as a plain receive loop). An empty queue answers EAGAIN,
 * which ends the batch; only then does the loop wait, with the timeout back
 * at -1, for the next message.
 */
export class ZmqPullConsumer implements Consumer {
  readonly replays = false;
  private readonly gate = new PauseGate();
  private sock: zmq.Pull | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private counter = 0;

  constructor(
    private readonly endpoints: ZmqEndpoints,
    private readonly options: ZmqOptions = defaultZmqOptions,
    private readonly limits: ZmqBatchLimits = defaultZmqBatchLimits,
  ) {}

  async start(topic: string, handler: BatchHandler): Promise<void> {
    const endpoint = endpointFor(this.endpoints, topic);
    const sock = new zmq.Pull({
      receiveHighWaterMark: this.options.receiveHighWaterMark,
      maxMessageSize: this.options.maxFrameBytes,
      linger: 0,
    });
    for (const ep of endpoint.split(",")) sock.connect(ep.trim());
    this.sock = sock;
    this.loop = this.run(sock, topic, handler);
  }

  private async run(sock: zmq.Pull, topic: string, handler: BatchHandler): Promise<void> {
    while (!this.stopping) {
      // Paused: the socket is not read, so ZeroMQ's high-water marks push back on the producer.
      if (this.gate.held) await this.gate.held;
      if (this.stopping) break;
      const batch: Delivery[] = [];
      let drained = false;
      try {
        drained = await this.drain(sock, topic, batch);
        if (batch.length === 0) {
          sock.receiveTimeout = -1;
          this.collect(batch, topic, await sock.receive());
          sock.receiveTimeout = 0;
        }
      } catch (err) {
        // Closing the socket on stop rejects the pending receive; anything else is fatal.
        if (!(this.stopping || sock.closed)) throw err;
      }
      if (batch.length > 0) await handler(batch);
      // A full batch never waited on the socket: let timers and I/O run before the next one.
      if (!drained) await new Promise((r) => setImmediate(r));
    }
  }

  /** Takes what is queued, up to the limits; true when the queue ran empty. */
  private async drain(sock: zmq.Pull, topic: string, batch: Delivery[]): Promise<boolean> {
    const { maxEvents, maxBytes } = this.limits;
    let bytes = 0;
    sock.receiveTimeout = 0;
    try {
      while (batch.length < maxEvents && bytes < maxBytes) bytes += this.collect(batch, topic, await sock.receive());
    } catch (err) {
      if (isEagain(err)) return true;
      throw err;
    }
    return false;
  }

  /** Every frame of a (multipart) ZeroMQ message is one delivery: see ZmqPushProducer. Returns its bytes. */
  private collect(batch: Delivery[], topic: string, frames: Buffer[]): number {
    let bytes = 0;
    for (const value of frames) {
      batch.push(new ZmqDelivery(topic, value, this.counter++));
      bytes += value.length;
    }
    return bytes;
  }

  async commit(_points: readonly CommitPoint[]): Promise<void> {
    // Nothing to commit: ZeroMQ keeps no log to resume from.
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resume();
    // Closing the socket rejects a pending receive(); a batch in progress finishes first.
    this.sock?.close();
    try {
      await this.loop;
    } finally {
      this.sock = undefined;
    }
  }
}
