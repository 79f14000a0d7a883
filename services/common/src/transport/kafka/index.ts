/**
 * Kafka transport (kafkajs 2.2.4; broker 3.9.x, see scripts/kafka/README.md).
 * Loaded only when TRANSPORT=kafka (transport/from-env.ts imports it lazily).
 */
import type { Logger } from "../../log/logger.js";
import type { Consumer, Producer } from "../transport.js";
import { type KafkaTransportConfig, kafkaConfigFromEnv } from "./config.js";
import { KafkaConsumer, type KafkaConsumerOptions } from "./consumer.js";
import { KafkaProducer, type KafkaProducerOptions } from "./producer.js";

export * from "./config.js";
export { KafkaProducer, type KafkaProducerOptions } from "./producer.js";
export { KafkaConsumer, type KafkaConsumerOptions, toDelivery } from "./consumer.js";
export { kafkajsLogCreator } from "./log-bridge.js";
export { chunkMessages } from "./chunk.js";
export * from "./watermark-metadata.js";

export interface KafkaTransport {
  readonly config: KafkaTransportConfig;
  producer(options?: KafkaProducerOptions): KafkaProducer;
  consumer(options?: KafkaConsumerOptions): KafkaConsumer;
}

/**
 * Reads the KAFKA_* variables (throws ConfigError listing every problem) and
 * returns factories for producers and consumers sharing that configuration.
 * `defaults` names the client and group id used when KAFKA_CLIENT_ID /
 * KAFKA_GROUP_ID are unset.
 */
export function createKafkaTransport(
  env: NodeJS.ProcessEnv,
  log: Logger,
  defaults: { clientId?: string; groupId?: string } = {},
): KafkaTransport {
  const config = kafkaConfigFromEnv(env, defaults);
  const tlog = log.child({ transport: "kafka" });
  return {
    config,
    producer: (options) => new KafkaProducer(config, tlog, options),
    consumer: (options) => new KafkaConsumer(config, tlog, options),
  };
}

/** Entry point used by transport/from-env.ts. */
export function kafkaProducerFromEnv(env: NodeJS.ProcessEnv, log: Logger): Producer {
  return createKafkaTransport(env, log).producer();
}

/** Entry point used by transport/from-env.ts; `defaultGroupId` applies when KAFKA_GROUP_ID is unset. */
export function kafkaConsumerFromEnv(env: NodeJS.ProcessEnv, log: Logger, defaultGroupId: string): Consumer {
  return createKafkaTransport(env, log, { groupId: defaultGroupId }).consumer();
}
