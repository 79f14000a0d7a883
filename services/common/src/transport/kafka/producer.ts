import type { Kafka, Producer as KafkajsProducer } from "kafkajs";
import { CompressionTypes, kafkajsPatched } from "./kafkajs.js";
import { KeyBuffers, memoizedDefaultPartitioner } from "./key-partitioner.js";
import type { Logger } from "../../log/logger.js";
import type { OutboundMessage, Producer } from "../transport.js";
import { chunkMessages } from "./chunk.js";
import { createKafkaClient } from "./client.js";
import type { KafkaTransportConfig } from "./config.js";
import { ensureTopic } from "./topics.js";

export interface KafkaProducerOptions {
  /** Upper bound of key+value bytes per `send` (see chunkMessages); default 512 KiB. */
  readonly maxRequestBytes?: number;
}

/**
 * Kafka producer behind our Producer interface.
 *
 * - Idempotent with acks=all (-1): the broker deduplicates kafkajs's own
 *   retries, and `publish` resolves only once every in-sync replica has the
 *   messages. kafkajs allows idempotence only with one request in flight per
 *   broker connection, which also keeps retries from reordering messages.
 * - Retries: the configured count with exponential backoff (default about 45 s
 *   in all), so a broker restart or leader election is ridden out. kafkajs warns
 *   that a bounded retry count "may invalidate EoS guarantees": when `publish`
 *   finally rejects and the caller retries, the broker may get a duplicate, never
 *   a loss (at-least-once).
 * - Keys pick the partition with the Java client's murmur2 partitioner, so a key
 *   lands on the same partition whichever client (Java, Python, kafkajs) wrote it
 *   (remembered per key: see key-partitioner.ts).
 * - Compression: none by default; gzip when configured (KAFKA_COMPRESSION).
 * - Topics are created on first use with the configured partitions and
 *   replication factor.
 */
export class KafkaProducer implements Producer {
  private readonly kafka: Kafka;
  private producer: KafkajsProducer | undefined;
  private readonly topicsReady = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly keys = new KeyBuffers();

  constructor(
    private readonly cfg: KafkaTransportConfig,
    private readonly log: Logger,
    private readonly options: KafkaProducerOptions = {},
  ) {
    this.kafka = createKafkaClient(cfg, log);
  }

  async start(): Promise<void> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: memoizedDefaultPartitioner,
      retry: {
        retries: this.cfg.retry.retries,
        initialRetryTime: this.cfg.retry.initialRetryTimeMs,
        maxRetryTime: this.cfg.retry.maxRetryTimeMs,
      },
    });
    await producer.connect();
    if (!kafkajsPatched)
      this.log.warn(
        "kafkajs was loaded before our transport: its slower producer modules stay in use (see kafka/patches)",
      );
    this.producer = producer;
  }

  /** Creates the given topics now instead of on their first publish. */
  async ensureTopics(topics: readonly string[]): Promise<void> {
    await Promise.all(topics.map((t) => this.topicReady(t)));
  }

  private topicReady(topic: string): Promise<void> {
    let ready = this.topicsReady.get(topic);
    if (!ready) {
      ready = ensureTopic(this.kafka, this.cfg, topic, this.log);
      // A failed attempt is forgotten, so the next publish tries again.
      ready.catch(() => this.topicsReady.delete(topic));
      this.topicsReady.set(topic, ready);
    }
    return ready;
  }

  publish(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    const p = this.send(topic, messages);
    this.inFlight.add(p);
    const forget = (): void => {
      this.inFlight.delete(p);
    };
    p.then(forget, forget);
    return p;
  }

  private async send(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new Error("Kafka producer is not started");
    if (messages.length === 0) return;
    await this.topicReady(topic);
    const compression = this.cfg.compression === "gzip" ? CompressionTypes.GZIP : CompressionTypes.None;
    for (const chunk of chunkMessages(messages, this.options.maxRequestBytes ?? 512 * 1024)) {
      await producer.send({
        topic,
        acks: -1,
        compression,
        messages: chunk.map((m) => ({ key: m.key === undefined ? null : this.keys.of(m.key), value: m.value })),
      });
    }
  }

  /** Waits for publishes in progress (each bounded by the retry budget), then disconnects. */
  async stop(): Promise<void> {
    const producer = this.producer;
    if (!producer) return;
    await Promise.allSettled([...this.inFlight]);
    this.producer = undefined;
    await producer.disconnect();
  }
}
