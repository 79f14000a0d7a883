import * as zmq from "zeromq";
import type { BatchHandler, CommitPoint, Consumer, Delivery } from "../transport.js";
import { type ZmqEndpoints, type ZmqOptions, defaultZmqOptions, endpointFor } from "./options.js";

/** A received frame; its offset (a local counter) is only formatted when asked for. */
class ZmqDelivery implements Delivery {
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

/**
 * Consumer side of ZeroMQ push-pull: connects a PULL socket to the topic's
 * endpoint and hands the handler batches of whatever is already queued, up to
 * `maxBatch` messages. ZeroMQ keeps no log, so `commit` has nothing to do:
 * what a processor has not written when it dies is gone.
 */
export class ZmqPullConsumer implements Consumer {
  readonly replays = false;
  /** Resolves when intake may go on; set while paused. */
  private resumed: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private sock: zmq.Pull | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private counter = 0;

  constructor(
    private readonly endpoints: ZmqEndpoints,
    private readonly options: ZmqOptions = defaultZmqOptions,
    private readonly maxBatch = 5_000,
  ) {}

  async start(topic: string, handler: BatchHandler): Promise<void> {
    const endpoint = endpointFor(this.endpoints, topic);
    const sock = new zmq.Pull({ receiveHighWaterMark: this.options.receiveHighWaterMark, linger: 0 });
    for (const ep of endpoint.split(",")) sock.connect(ep.trim());
    this.sock = sock;
    this.loop = this.run(sock, topic, handler);
  }

  private async run(sock: zmq.Pull, topic: string, handler: BatchHandler): Promise<void> {
    while (!this.stopping) {
      // Paused: the socket is not read, so ZeroMQ's high-water marks push back on the producer.
      if (this.resumed) await this.resumed;
      if (this.stopping) break;
      const batch: Delivery[] = [];
      try {
        this.collect(batch, topic, await sock.receive());
        while (batch.length < this.maxBatch && sock.readable) this.collect(batch, topic, await sock.receive());
      } catch (err) {
        // Closing the socket on stop rejects the pending receive; anything else is fatal.
        if (!(this.stopping || sock.closed)) throw err;
      }
      if (batch.length > 0) await handler(batch);
    }
  }

  /** Every frame of a (multipart) ZeroMQ message is one delivery: see ZmqPushProducer. */
  private collect(batch: Delivery[], topic: string, frames: Buffer[]): void {
    for (const value of frames) batch.push(new ZmqDelivery(topic, value, this.counter++));
  }

  async commit(_points: readonly CommitPoint[]): Promise<void> {
    // Nothing to commit: ZeroMQ keeps no log to resume from.
  }

  pause(): void {
    if (this.resumed) return;
    this.resumed = new Promise((resolve) => (this.wake = resolve));
  }

  resume(): void {
    const wake = this.wake;
    this.resumed = undefined;
    this.wake = undefined;
    wake?.();
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
