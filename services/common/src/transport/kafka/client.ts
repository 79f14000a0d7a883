import type { Kafka as KafkaClient, KafkaConfig, SASLOptions } from "kafkajs";
import { Kafka } from "./kafkajs.js";
import type { Logger } from "../../log/logger.js";
import type { KafkaTransportConfig } from "./config.js";
import { kafkajsLevel, kafkajsLogCreator } from "./log-bridge.js";

/** kafkajs client settings derived from our config (pure; no connection is made). */
export function kafkajsClientConfig(cfg: KafkaTransportConfig, log: Logger): KafkaConfig {
  const sasl: SASLOptions | undefined = cfg.sasl
    ? ({ mechanism: cfg.sasl.mechanism, username: cfg.sasl.username, password: cfg.sasl.password } as SASLOptions)
    : undefined;
  return {
    clientId: cfg.clientId,
    brokers: [...cfg.brokers],
    ssl: cfg.ssl,
    ...(sasl ? { sasl } : {}),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: {
      retries: cfg.retry.retries,
      initialRetryTime: cfg.retry.initialRetryTimeMs,
      maxRetryTime: cfg.retry.maxRetryTimeMs,
    },
    logLevel: kafkajsLevel(),
    logCreator: kafkajsLogCreator(log.child({ clientId: cfg.clientId })),
  };
}

export function createKafkaClient(cfg: KafkaTransportConfig, log: Logger): KafkaClient {
  return new Kafka(kafkajsClientConfig(cfg, log));
}
