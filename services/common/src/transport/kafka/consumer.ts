import { setTimeout as sleep } from "node:timers/promises";
import type { Admin, Consumer as KafkajsConsumer, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import type { Logger } from "../../log/logger.js";
import type {
  AssignedPartition,
  BatchHandler,
  CommitPoint,
  Consumer,
  ConsumerStatus,
  Delivery,
  RevokeReason,
} from "../transport.js";
import { BrokerContact } from "./broker-contact.js";
import { createKafkaClient } from "./client.js";
import type { KafkaTransportConfig } from "./config.js";
import { ensureTopic } from "./topics.js";

export interface KafkaConsumerOptions {
  /**
   * Called when kafkajs gives up on the consumer for good (it restarts itself
   * after most failures, replaying from the committed offsets), and when the
   * batch handler throws: kafkajs would otherwise restart the consumer from
   * the committed offsets while the caller's memory still holds what it had
   * counted. Default: log, then exit with code 1 (a restart replays the log).
   */
  readonly onFatal?: (err: Error) => void;
}

/** Turns one kafkajs message into our Delivery. */
export function toDelivery(topic: string, partition: number, m: KafkaMessage): Delivery {
  return {
    topic,
    key: m.key === null ? undefined : m.key.toString("utf8"),
    // A null value (a tombstone) arrives as an empty buffer; our producers never write one.
    value: m.value ?? Buffer.alloc(0),
    partition,
    offset: m.offset,
  };
}

type State = "idle" | "running" | "stopping" | "stopped";

/**
 * Kafka consumer-group member behind our Consumer interface.
 *
 * - kafkajs `eachBatch` with autoCommit and auto-resolve off: the handler gets
 *   one fetched batch of one partition, in offset order, and nothing is
 *   committed until the caller calls `commit` with the offset of the next
 *   message to read (Kafka's convention) once its output is durable. A restart
 *   resumes there; anything delivered but not committed is delivered again
 *   (at-least-once).
 * - Heartbeats go out while the handler works, so a long batch (an HDF5 flush)
 *   does not cost the group membership.
 * - `onRevoke` callbacks run when kafkajs reports a rebalance, a rejoin, a
 *   restart of the client after an error (a broker outage), and before stop,
 *   never at the same time as a batch. kafkajs does not wait for them before
 *   rejoining, so a commit made from such a callback can fail during the
 *   rebalance; the messages are then delivered again after it.
 * - `onAssign` callbacks run after every group join (the start, a rebalance,
 *   a rejoin, a restart of the client), queued at the join in the same line
 *   as the batches, so before any batch fetched for the new assignment. They
 *   get the committed offsets and metadata of the assigned partitions, read
 *   with an admin client (kafkajs reads them too but keeps no metadata); a
 *   failed read is retried until it succeeds, a newer join replaces it, or the
 *   consumer stops, and batches wait meanwhile (heartbeats go on).
 * - A batch that waited for its turn while the group was joined again is
 *   dropped unresolved: kafkajs reads those partitions again from the
 *   committed offsets of the new assignment.
 * - A handler or onAssign callback that throws is fatal (onFatal), never
 *   retried in place; no batch is handed over after it.
 */
export class KafkaConsumer implements Consumer {
  private readonly kafka: Kafka;
  private consumer: KafkajsConsumer | undefined;
  private state: State = "idle";
  readonly replays = true;
  private readonly revokeCallbacks: Array<(reason: RevokeReason) => Promise<void>> = [];
  private readonly assignCallbacks: Array<(assigned: readonly AssignedPartition[]) => Promise<void>> = [];
  /** Reads committed offsets and metadata for onAssign; created on first use. */
  private admin: Promise<Admin> | undefined;
  /** Set when a handler or an onAssign callback failed: nothing more is handed over. */
  private broken = false;
  private topic: string | undefined;
  private paused = false;
  /** Serialises handler calls, revoke callbacks and assign callbacks. */
  private chain: Promise<void> = Promise.resolve();
  private joins = 0;
  private revokedSinceJoin = false;
  private contact: BrokerContact | undefined;

  constructor(
    private readonly cfg: KafkaTransportConfig,
    private readonly log: Logger,
    private readonly options: KafkaConsumerOptions = {},
  ) {
    this.kafka = createKafkaClient(cfg, log);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async start(topic: string, handler: BatchHandler): Promise<void> {
    if (this.state !== "idle") throw new Error(`Kafka consumer cannot start: it is ${this.state}`);
    this.state = "running";
    this.topic = topic;
    await ensureTopic(this.kafka, this.cfg, topic, this.log);

    const heartbeatInterval = Math.max(500, Math.floor(this.cfg.sessionTimeoutMs / 10));
    const consumer = this.kafka.consumer({
      groupId: this.cfg.groupId,
      sessionTimeout: this.cfg.sessionTimeoutMs,
      heartbeatInterval,
      // How long the group waits for members to rejoin; a member in a long batch rejoins after it.
      rebalanceTimeout: 60_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      retry: {
        retries: this.cfg.retry.retries,
        initialRetryTime: this.cfg.retry.initialRetryTimeMs,
        maxRetryTime: this.cfg.retry.maxRetryTimeMs,
      },
    });
    // Idle fetches return every 500 ms and heartbeats go out during long batches: silence past this is an outage.
    this.contact = new BrokerContact(Date.now(), Math.max(6_000, 2 * heartbeatInterval));
    this.watch(consumer);
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: this.cfg.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload, handler, heartbeatInterval),
    });
  }

  private watch(consumer: KafkajsConsumer): void {
    const { GROUP_JOIN, REBALANCING, CRASH, REQUEST } = consumer.events;
    // Every response from a broker (fetch, heartbeat, commit, metadata).
    consumer.on(REQUEST, () => this.contact?.contact(Date.now()));
    consumer.on(REBALANCING, () => {
      this.contact?.rebalancing(Date.now());
      this.revokedSinceJoin = true;
      void this.runRevoke("rebalance");
    });
    consumer.on(GROUP_JOIN, (e) => {
      this.joins += 1;
      this.contact?.joined(Date.now());
      this.log.info("joined Kafka consumer group", {
        groupId: e.payload.groupId,
        memberId: e.payload.memberId,
        assignment: e.payload.memberAssignment,
      });
      // A rejoin that kafkajs did not announce as a rebalance (e.g. an expired member id): flush now.
      if (this.joins > 1 && !this.revokedSinceJoin) void this.runRevoke("rejoin");
      this.revokedSinceJoin = false;
      // Queued now, before kafkajs fetches anything for this assignment (it emits this event before it does).
      if (this.assignCallbacks.length > 0) {
        const assigned = (this.topic && e.payload.memberAssignment[this.topic]) || [];
        void this.runAssign(
          this.joins,
          [...assigned].sort((a, b) => a - b),
        );
      }
    });
    consumer.on(CRASH, (e) => {
      const err = e.payload.error;
      if (e.payload.restart) {
        this.log.warn("Kafka consumer failed; kafkajs restarts it from the committed offsets", { err });
        this.contact?.crashed(Date.now(), err.message);
        // Re-delivery starts at the last commit: whatever is counted only in memory must go first.
        this.revokedSinceJoin = true;
        void this.runRevoke("restart");
      } else {
        this.fatal(err, "Kafka consumer failed for good");
      }
    });
  }

  private async onBatch(p: EachBatchPayload, handler: BatchHandler, heartbeatInterval: number): Promise<void> {
    const { batch } = p;
    if (this.state === "stopping") {
      // Not resolved, so it stays for whoever reads next; pausing stops kafkajs re-fetching it in a loop meanwhile.
      p.pause();
      return;
    }
    if (this.broken) {
      p.pause();
      return;
    }
    if (this.state !== "running" || !p.isRunning() || p.isStale() || batch.messages.length === 0) return;
    const deliveries = batch.messages.map((m) => toDelivery(batch.topic, batch.partition, m));
    const join = this.joins;
    const beat = setInterval(() => {
      p.heartbeat().catch((err: unknown) => this.log.debug("heartbeat during a batch failed", { err }));
    }, heartbeatInterval);
    let handed: "handed" | "stopping" | "stale";
    try {
      handed = await this.serial(async () => {
        // The turn may come after onRevoke/onAssign callbacks queued while this batch waited.
        if (this.broken || this.state !== "running") return "stopping";
        if (join !== this.joins) return "stale";
        await handler(deliveries);
        return "handed";
      });
    } catch (err) {
      // Never let kafkajs restart the consumer in place: the caller's memory would disagree with the offsets.
      this.fatal(err as Error, "batch handler failed");
      p.pause();
      return;
    } finally {
      clearInterval(beat);
    }
    if (handed === "stopping") {
      p.pause();
      return;
    }
    if (handed === "stale") {
      this.log.debug("dropped a batch fetched before the group was joined again", {
        partition: batch.partition,
        firstOffset: deliveries[0]!.offset,
      });
      return;
    }
    // Marks the batch as processed so kafkajs fetches what follows; committing is the caller's call.
    p.resolveOffset(deliveries[deliveries.length - 1]!.offset);
    await p.heartbeat();
  }

  private fatal(err: Error, msg: string): void {
    this.broken = true;
    this.log.error(msg, { err });
    if (this.options.onFatal) this.options.onFatal(err);
    else process.exit(1);
  }

  private runRevoke(reason: RevokeReason): Promise<void> {
    return this.serial(async () => {
      for (const cb of this.revokeCallbacks) {
        try {
          await cb(reason);
        } catch (err) {
          this.log.error("onRevoke callback failed", { reason, err });
        }
      }
    });
  }

  /**
   * Runs the onAssign callbacks for the assignment of join number `join`, in
   * line with the batches; skipped when a newer join has come (its own call
   * follows) or the consumer is stopping.
   */
  private runAssign(join: number, partitions: readonly number[]): Promise<void> {
    return this.serial(async () => {
      const assigned = await this.committed(join, partitions);
      if (!assigned || this.broken) return;
      this.log.debug("partitions assigned", {
        partitions,
        withMetadata: assigned.filter((a) => a.metadata !== null).map((a) => a.partition),
      });
      for (const cb of this.assignCallbacks) {
        try {
          await cb(assigned);
        } catch (err) {
          this.fatal(err as Error, "onAssign callback failed");
          return;
        }
      }
    });
  }

  /**
   * The committed offset and metadata of each of `partitions`, from the group
   * coordinator. Retries (with the configured backoff) until it gets them;
   * undefined when join `join` is no longer the current one or the consumer
   * is stopping.
   */
  private async committed(join: number, partitions: readonly number[]): Promise<AssignedPartition[] | undefined> {
    const current = (): boolean => join === this.joins && this.state === "running";
    if (!current()) return undefined;
    if (partitions.length === 0) return [];
    const topic = this.topic!;
    for (let attempt = 0; ; attempt++) {
      try {
        const admin = await this.adminClient();
        const [fetched] = await admin.fetchOffsets({ groupId: this.cfg.groupId, topics: [topic] });
        const byPartition = new Map((fetched?.partitions ?? []).map((p) => [p.partition, p]));
        return partitions.map((partition) => {
          const p = byPartition.get(partition);
          // No commit: offset -1. Kafka stores a commit without metadata as "", which kafkajs gives as null.
          const offset = p && /^\d+$/.test(p.offset) ? p.offset : null;
          return { partition, offset, metadata: p?.metadata || null };
        });
      } catch (err) {
        if (!current()) return undefined;
        const waitMs = Math.min(this.cfg.retry.maxRetryTimeMs, this.cfg.retry.initialRetryTimeMs * 2 ** attempt);
        this.log.warn("cannot read the committed offsets of the assigned partitions; batches wait, retrying", {
          attempt,
          waitMs,
          err,
        });
        await this.closeAdmin();
        await sleep(waitMs);
        if (!current()) return undefined;
      }
    }
  }

  private adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({
        retry: {
          retries: this.cfg.retry.retries,
          initialRetryTime: this.cfg.retry.initialRetryTimeMs,
          maxRetryTime: this.cfg.retry.maxRetryTimeMs,
        },
      });
      const ready = admin.connect().then(() => admin);
      this.admin = ready;
      // A failed connect is forgotten, so that the next call tries again.
      ready.catch(() => {
        if (this.admin === ready) this.admin = undefined;
      });
    }
    return this.admin;
  }

  private async closeAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (!admin) return;
    try {
      await (await admin).disconnect();
    } catch {
      // Not connected, or already gone: nothing to close.
    }
  }

  async commit(points: readonly CommitPoint[]): Promise<void> {
    if (points.length === 0) return;
    const consumer = this.consumer;
    if (!consumer || this.state === "stopped") throw new Error("Kafka consumer is not running; cannot commit");
    // kafkajs resolves without committing anything when its runner has stopped (while it restarts
    // after a crash); the broker's answer is seen through the event it emits once a commit is made.
    const pending = new Set(points.map((p) => `${p.topic}|${p.partition}|${p.offset}`));
    const off = consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
      for (const t of e.payload.topics)
        for (const p of t.partitions) pending.delete(`${t.topic}|${p.partition}|${String(p.offset)}`);
    });
    try {
      await consumer.commitOffsets(
        points.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset, metadata: p.metadata ?? null })),
      );
    } finally {
      off();
    }
    if (pending.size > 0) throw new Error("Kafka consumer is restarting; the commit was not made");
  }

  status(): ConsumerStatus | undefined {
    return this.state === "running" ? this.contact?.status(Date.now()) : undefined;
  }

  lastContact(): number | undefined {
    return this.contact?.lastAnswer();
  }

  onRevoke(cb: (reason: RevokeReason) => Promise<void>): void {
    this.revokeCallbacks.push(cb);
  }

  onAssign(cb: (assigned: readonly AssignedPartition[]) => Promise<void>): void {
    this.assignCallbacks.push(cb);
  }

  /** Pauses fetching of every partition of the topic (the batch in progress finishes). */
  pause(): void {
    if (this.paused || !this.consumer || !this.topic) return;
    this.paused = true;
    this.consumer.pause([{ topic: this.topic }]);
  }

  resume(): void {
    if (!this.paused || !this.consumer || !this.topic) return;
    this.paused = false;
    this.consumer.resume([{ topic: this.topic }]);
  }

  /**
   * Stops handing out batches, waits for the one in progress, runs the revoke
   * callbacks while the group membership still allows commits, then leaves the
   * group and disconnects.
   */
  async stop(): Promise<void> {
    if (this.state !== "running") {
      this.state = "stopped";
      return;
    }
    this.state = "stopping";
    await this.runRevoke("stop");
    const consumer = this.consumer;
    this.state = "stopped";
    this.consumer = undefined;
    await consumer?.disconnect();
    await this.closeAdmin();
  }
}
