import { Worker } from "node:worker_threads";
import type { BatchHandler, CommitPoint, Consumer, Delivery } from "../transport.js";
import { type ZmqEndpoints, type ZmqOptions, defaultZmqOptions, endpointFor } from "./options.js";
import { PauseGate } from "./pause-gate.js";
import { type ZmqBatchLimits, ZmqDelivery, defaultZmqBatchLimits } from "./pull-consumer.js";
import type { ReceivedBatch, ReceiveWorkerSetup } from "./receive-worker.js";

/**
 * ZeroMQ PULL consumer whose socket is read by a worker thread
 * (receive-worker.ts): the per-message cost of zeromq.js runs beside the
 * processor, and the processor's thread gets each batch as one buffer.
 * Memory is bounded in bytes: at most `maxOutstanding` batches of at most
 * `limits.maxBytes` are between the socket and the handler; behind that, the
 * socket's receive high-water mark. Same contract as ZmqPullConsumer: no log,
 * nothing to commit, pause stops reading (the worker gets no more credit).
 */
export class ZmqWorkerPullConsumer implements Consumer {
  readonly replays = false;
  private worker: Worker | undefined;
  private readonly queue: ReceivedBatch[] = [];
  private handling: Promise<void> | undefined;
  private readonly gate = new PauseGate();
  /** Credits held back while paused. */
  private owed = 0;
  private counter = 0;
  private stopping = false;
  private failed: ((err: Error) => void) | undefined;

  constructor(
    private readonly endpoints: ZmqEndpoints,
    private readonly options: ZmqOptions = defaultZmqOptions,
    private readonly limits: ZmqBatchLimits = defaultZmqBatchLimits,
    private readonly maxOutstanding = 2,
  ) {}

  async start(topic: string, handler: BatchHandler): Promise<void> {
    const setup: ReceiveWorkerSetup = {
      endpoints: endpointFor(this.endpoints, topic)
        .split(",")
        .map((e) => e.trim()),
      receiveHighWaterMark: this.options.receiveHighWaterMark,
      maxFrameBytes: this.options.maxFrameBytes,
      maxEvents: this.limits.maxEvents,
      maxBytes: this.limits.maxBytes,
      maxOutstanding: this.maxOutstanding,
    };
    const worker = new Worker(new URL("./receive-worker.js", import.meta.url), {
      workerData: setup,
      // Its live set is one batch (at most maxEvents frames); small heaps make it collect
      // the frames (and their native ZeroMQ memory) early instead of growing.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    this.worker = worker;
    worker.on("message", (b: ReceivedBatch) => {
      this.queue.push(b);
      if (!this.handling) this.handling = this.drain(topic, handler);
    });
    // A failing socket is fatal, as it is for ZmqPullConsumer.
    worker.on("error", (err) => {
      if (this.stopping) return;
      this.failed?.(err);
      throw err;
    });
    await new Promise<void>((resolve, reject) => {
      worker.once("online", resolve);
      this.failed = reject;
    });
    this.failed = undefined;
  }

  private async drain(topic: string, handler: BatchHandler): Promise<void> {
    try {
      for (let b = this.queue.shift(); b && !this.stopping; b = this.queue.shift()) {
        await handler(this.deliveries(topic, b));
        if (this.gate.held) this.owed++;
        else this.worker?.postMessage("credit");
        // Paused: batches already received wait here, the worker gets no credit to read more.
        if (this.gate.held) await this.gate.held;
      }
    } finally {
      this.handling = undefined;
    }
  }

  private deliveries(topic: string, b: ReceivedBatch): Delivery[] {
    const all = Buffer.from(b.bytes);
    // Each delivery is a view into the batch's one buffer (no finalizer per frame).
    const out = new Array<Delivery>(b.ends.length);
    let at = 0;
    for (let i = 0; i < b.ends.length; i++) {
      const end = b.ends[i]!;
      out[i] = new ZmqDelivery(topic, all.subarray(at, end), this.counter++);
      at = end;
    }
    return out;
  }

  async commit(_points: readonly CommitPoint[]): Promise<void> {
    // Nothing to commit: ZeroMQ keeps no log to resume from.
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    for (; this.owed > 0; this.owed--) this.worker?.postMessage("credit");
    this.gate.resume();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.resume();
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.postMessage("stop");
      // The batch in progress finishes; what the worker still holds is dropped, as a socket's queue is.
      await this.handling;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await worker.terminate();
    }
  }
}
