/**
 * The one transport interface the services see. Two implementations exist:
 * ZeroMQ push-pull (transport/zmq) and Kafka (transport/kafka); config picks one.
 *
 * Producers publish keyed byte messages to a named topic. Consumers receive
 * batches and report, through `commit`, the point up to which everything they
 * received has been made durable; a transport that keeps a log (Kafka) resumes
 * from there after a restart, one that does not (ZeroMQ) ignores it.
 */

export interface OutboundMessage {
  /** Partitioning key (the symbol for market events). ZeroMQ does not carry it. */
  readonly key?: string;
  readonly value: Buffer;
}

export interface Delivery {
  readonly topic: string;
  readonly key: string | undefined;
  readonly value: Buffer;
  /** Kafka partition; 0 on transports without partitions. */
  readonly partition: number;
  /** Position of this message in its partition, as a decimal string (Kafka offset, or a local counter). */
  readonly offset: string;
}

export interface Producer {
  /** Connects or binds; resolves when messages can be published. */
  start(): Promise<void>;
  /**
   * Publishes messages in order. Resolves when the transport has taken them
   * (queued by ZeroMQ, acknowledged by the Kafka brokers). Rejects on failure
   * after the transport's own retries; the caller decides whether to retry.
   */
  publish(topic: string, messages: readonly OutboundMessage[]): Promise<void>;
  /** Sends what is queued (bounded by a linger time) and closes. */
  stop(): Promise<void>;
}

/** Called once per batch; the next batch is not delivered until it resolves. */
export type BatchHandler = (batch: readonly Delivery[]) => Promise<void>;

export interface CommitPoint {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next message to read after a restart (Kafka convention). */
  readonly offset: string;
  /**
   * Kept with the offset for whoever reads the partition next, this consumer
   * after a restart or another after a rebalance (Consumer.onAssign): Kafka's
   * commit metadata, at most the broker's offset.metadata.max.bytes (4096 by
   * default; see encodeWatermarks). A commit without it leaves none.
   */
  readonly metadata?: string;
}

/** A partition handed to a consumer, with what was committed for it (see Consumer.onAssign). */
export interface AssignedPartition {
  readonly partition: number;
  /** The committed offset (the next message to read), as a decimal string; null when none was committed. */
  readonly offset: string | null;
  /** The metadata of that commit (CommitPoint.metadata); null when nothing, or an empty string, was committed. */
  readonly metadata: string | null;
}

/** Whether a consumer can reach its transport (Kafka: the brokers), for /healthz. */
export interface ConsumerStatus {
  /** rebalancing: joining the consumer group (at the start, in a rebalance), which may wait for other members. */
  readonly state: "connected" | "rebalancing" | "reconnecting";
  /** ISO time of the last change. */
  readonly since: string;
  /** While reconnecting: the last error, its message only. */
  readonly error?: string;
}

/** Why a consumer hands its partitions back (see Consumer.onRevoke). */
export type RevokeReason = "rebalance" | "rejoin" | "restart" | "stop";

export interface Consumer {
  /**
   * True when the transport keeps a log and re-delivers, after a restart or a
   * rebalance, everything after the last commit (Kafka). False when what was
   * delivered is gone (ZeroMQ): the caller must then write what it holds
   * before stopping and cannot rebuild anything from the transport.
   */
  readonly replays: boolean;
  /** Subscribes to `topic` and starts delivering batches to `handler`. */
  start(topic: string, handler: BatchHandler): Promise<void>;
  /**
   * Marks everything before each commit point as durable. Kafka commits the
   * offsets for the consumer group; ZeroMQ has nothing to commit.
   */
  commit(points: readonly CommitPoint[]): Promise<void>;
  /**
   * Registers a callback run, between batches, when partitions are taken
   * away: a rebalance, a rejoin after the membership expired, a restart of
   * the client after an error (it then re-reads from the last commit), or
   * before stop. The caller writes and commits what it can and, except on
   * stop, forgets what it holds in memory for those partitions.
   */
  onRevoke?(cb: (reason: RevokeReason) => Promise<void>): void;
  /**
   * Registers (before start) a callback run, between batches, each time the
   * consumer has been given its partitions: at the start, after a rebalance or
   * a rejoin, and after a restart of the client; always after the onRevoke
   * callbacks of what came before, and before the first batch of those
   * partitions. It gets every partition now assigned (Kafka takes all of them
   * back at a rebalance, so one kept across it is listed again, possibly none),
   * each with the offset and metadata last committed for it, by this consumer
   * or by the one that had it before. Log transports only (Kafka); ZeroMQ has
   * no commits to read. A callback that throws is fatal, as a throwing batch
   * handler is: batches must not go on without it.
   */
  onAssign?(cb: (assigned: readonly AssignedPartition[]) => Promise<void>): void;
  /** Stops taking new messages (the batch in progress finishes); bounded memory under back-pressure. */
  pause(): void;
  resume(): void;
  /** Stops intake, waits for the batch in progress, then closes. */
  stop(): Promise<void>;
  /** Transports with a connection to lose (Kafka); ZeroMQ reconnects silently and has none. */
  status?(): ConsumerStatus | undefined;
  /**
   * Log transports: when (ms) a broker last answered. Windows close by the wall clock only up
   * to this time: until the broker has answered after a window's deadline, nobody knows that
   * nothing more is in the log for it (it stops while the brokers are away).
   */
  lastContact?(): number | undefined;
}

export {
  DEFAULT_WATERMARK_BUDGET,
  type WatermarkMetadata,
  encodeWatermarks,
  decodeWatermarks,
  decodeWatermarkMetadata,
} from "./kafka/watermark-metadata.js";
