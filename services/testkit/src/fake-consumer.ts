import type {
  AssignedPartition,
  BatchHandler,
  CommitPoint,
  Consumer,
  ConsumerStatus,
  Delivery,
  RevokeReason,
} from "@cryptostream/common";

export interface FakeConsumerOptions {
  /**
   * True (the default) for a transport that keeps a log and delivers again what
   * was not committed when a consumer comes back (Kafka); false for one that
   * does not (ZeroMQ).
   */
  readonly replays?: boolean;
  /** Offsets an earlier run committed, by partition: where a restarted consumer resumes. */
  readonly committed?: ReadonlyMap<number, bigint>;
  /** Metadata an earlier run committed with those offsets, by partition (see CommitPoint.metadata). */
  readonly metadata?: ReadonlyMap<number, string>;
}

/**
 * A Consumer that the test drives by hand. `deliver` hands a batch to the handler
 * and resolves when the handler has finished, as a transport waits for it; commits
 * are recorded the way a Kafka group keeps them (the last point per partition
 * wins, metadata included) and can be made to fail; `revoke` plays a rebalance;
 * `assign` plays the assignment that follows a join (nothing calls it on its
 * own, not even start); `pause`/`resume` hold deliveries back as a paused
 * transport does.
 */
export class FakeConsumer implements Consumer {
  readonly replays: boolean;
  /** Set by pause(), cleared by resume(): while set, deliver() waits. */
  paused = false;
  /** The topic given to start(), once started. */
  topic: string | undefined;
  /** The points of every successful commit() call, in order. */
  readonly commits: CommitPoint[][] = [];
  /** Per partition, the offset committed last (the next offset to read after a restart). */
  readonly committed = new Map<number, bigint>();
  /** Per partition, the metadata of the last commit (null: that commit had none), as Kafka keeps it. */
  readonly committedMetadata = new Map<number, string | null>();
  stopped = false;
  /** What status() answers (undefined: a transport without a connection to report, as ZeroMQ). */
  link: ConsumerStatus | undefined;
  /** What lastContact() answers (undefined: no broker to answer). */
  contactAt: number | undefined;
  private handler: BatchHandler | undefined;
  private stopping = false;
  private stopCall: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight: Promise<void> | undefined;
  private readonly revokeCallbacks: Array<(reason: RevokeReason) => Promise<void>> = [];
  private readonly assignCallbacks: Array<(assigned: readonly AssignedPartition[]) => Promise<void>> = [];
  private readonly commitFailures: Error[] = [];
  private wakeUp: Array<() => void> = [];

  constructor(options: FakeConsumerOptions = {}) {
    this.replays = options.replays ?? true;
    for (const [partition, offset] of options.committed ?? []) this.committed.set(partition, offset);
    for (const [partition, metadata] of options.metadata ?? []) this.committedMetadata.set(partition, metadata);
  }

  status(): ConsumerStatus | undefined {
    return this.link;
  }

  lastContact(): number | undefined {
    return this.contactAt;
  }

  get started(): boolean {
    return this.handler !== undefined;
  }

  async start(topic: string, handler: BatchHandler): Promise<void> {
    if (this.handler) throw new Error("FakeConsumer: started twice");
    this.topic = topic;
    this.handler = handler;
  }

  async commit(points: readonly CommitPoint[]): Promise<void> {
    if (this.stopped) throw new Error("FakeConsumer: commit after stop");
    const failure = this.commitFailures.shift();
    if (failure) throw failure;
    this.commits.push([...points]);
    for (const p of points) {
      this.committed.set(p.partition, BigInt(p.offset));
      this.committedMetadata.set(p.partition, p.metadata || null);
    }
  }

  /** Makes the next `times` commit() calls reject with `error`, recording nothing (a broker out of reach). */
  failCommits(times = 1, error: Error = new Error("FakeConsumer: commit failed on purpose")): void {
    for (let i = 0; i < times; i++) this.commitFailures.push(error);
  }

  onRevoke(cb: (reason: RevokeReason) => Promise<void>): void {
    this.revokeCallbacks.push(cb);
  }

  onAssign(cb: (assigned: readonly AssignedPartition[]) => Promise<void>): void {
    this.assignCallbacks.push(cb);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake();
  }

  /**
   * Hands `batch` to the handler and resolves once the handler has. Batches go one
   * at a time in call order (the next waits for the previous to finish), and not
   * while paused: then it waits for resume(). A batch still waiting when the
   * consumer stops is never handed over, and this resolves to false.
   */
  async deliver(batch: readonly Delivery[]): Promise<boolean> {
    const handler = this.handler;
    if (!handler) throw new Error("FakeConsumer: deliver before start");
    const turn = this.queue.then(() => this.handOver(handler, batch));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Hands `batch` to the handler at once, paused or not, as a transport does
   * with a batch it had fetched before pause() was called.
   */
  async handleNow(batch: readonly Delivery[]): Promise<void> {
    if (!this.handler) throw new Error("FakeConsumer: delivery before start");
    await this.handler(batch);
  }

  /** A rebalance (or `reason`): runs the revoke callbacks while the consumer keeps going. */
  async revoke(reason: RevokeReason = "rebalance"): Promise<void> {
    for (const cb of this.revokeCallbacks) await cb(reason);
  }

  /**
   * An assignment (the start, after a rebalance or a restart): runs the assign
   * callbacks with `partitions` in that order, each with the offset and
   * metadata committed last for it (this consumer's commits, or the options'),
   * unless `metadata` gives that partition's metadata (another replica's
   * commit). In line with deliver(): it waits for the batches asked for
   * before it, and those asked for after it wait for it (paused or not).
   * Rejects with a callback's error; nothing runs once the consumer stops.
   */
  async assign(partitions: readonly number[], metadata?: ReadonlyMap<number, string | null>): Promise<void> {
    const turn = this.queue.then(async () => {
      if (this.stopping) return;
      const assigned: AssignedPartition[] = partitions.map((partition) => ({
        partition,
        offset: this.committed.get(partition)?.toString() ?? null,
        metadata: (metadata?.has(partition) ? metadata.get(partition) : this.committedMetadata.get(partition)) || null,
      }));
      const run = (async () => {
        for (const cb of this.assignCallbacks) await cb(assigned);
      })();
      // stop() waits for the callbacks as it does for a batch.
      this.inFlight = run.then(
        () => undefined,
        () => undefined,
      );
      try {
        await run;
      } finally {
        this.inFlight = undefined;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops intake, waits for the batch in progress, runs the revoke callbacks, then closes. */
  stop(): Promise<void> {
    this.stopCall ??= this.close();
    return this.stopCall;
  }

  private async handOver(handler: BatchHandler, batch: readonly Delivery[]): Promise<boolean> {
    while (this.paused && !this.stopping) await new Promise<void>((resolve) => this.wakeUp.push(resolve));
    if (this.stopping) return false;
    const run = handler(batch);
    this.inFlight = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } finally {
      this.inFlight = undefined;
    }
    return true;
  }

  private async close(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.inFlight;
    await this.revoke("stop");
    this.stopped = true;
  }

  private wake(): void {
    const waiting = this.wakeUp;
    this.wakeUp = [];
    for (const resolve of waiting) resolve();
  }
}

/** One partition's log as deliveries: `values` at consecutive offsets from `firstOffset` (default 0). */
export function deliveriesOf(
  values: readonly Buffer[],
  { topic = "test", partition = 0, firstOffset = 0 }: { topic?: string; partition?: number; firstOffset?: number } = {},
): Delivery[] {
  return values.map((value, i) => ({ topic, key: undefined, value, partition, offset: String(firstOffset + i) }));
}
