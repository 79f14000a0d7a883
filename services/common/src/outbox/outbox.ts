import type { Logger } from "../log/logger.js";
import type { OutboundMessage, Producer } from "../transport/transport.js";

/**
 * A bounded queue between a source that cannot wait (a websocket) and a
 * transport that sometimes must (no consumer connected, broker down).
 * When full it drops the OLDEST message and counts it, so memory stays
 * bounded and the newest market data gets through first after an outage.
 * Publishing failures are retried with the same messages, in order.
 */
export class Outbox {
  private items: OutboundMessage[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  dropped = 0;
  published = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly capacity: number,
    private readonly log: Logger,
    private readonly onDrop: (n: number) => void = () => undefined,
    private readonly onPublished: (n: number) => void = () => undefined,
    private readonly maxBatch = 500,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(m: OutboundMessage): void {
    if (this.size >= this.capacity) {
      this.head++;
      this.dropped++;
      this.onDrop(1);
    }
    this.items.push(m);
    this.compact();
    this.wake?.();
  }

  start(): void {
    this.running = true;
    this.loop = this.pump();
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private async pump(): Promise<void> {
    let failures = 0;
    while (this.running || this.size > 0) {
      if (this.size === 0) {
        if (!this.running) break;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      // Take the batch out first: overflow drops while it is in flight then hit only queued messages.
      const batch = this.items.slice(this.head, this.head + this.maxBatch);
      this.head += batch.length;
      this.compact();
      try {
        await this.producer.publish(this.topic, batch);
        failures = 0;
      } catch (err) {
        // Put it back in front, in order, and retry after a pause.
        this.items = batch.concat(this.items.slice(this.head));
        this.head = 0;
        failures++;
        const wait = Math.min(30_000, 200 * 2 ** Math.min(failures, 8));
        this.log.warn("publish failed; retrying", {
          error: (err as Error).message,
          retryInMs: wait,
          queued: this.size,
        });
        await new Promise((r) => setTimeout(r, wait));
        if (!this.running && failures > 3) break;
        continue;
      }
      this.published += batch.length;
      this.onPublished(batch.length);
    }
  }

  /** Stops accepting new work and waits (up to `timeoutMs`) for the queue to drain. */
  async drain(timeoutMs: number): Promise<number> {
    this.running = false;
    this.wake?.();
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    return this.size;
  }
}
