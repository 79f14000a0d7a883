import { type VarSpec, ConfigError, bool, int, list, oneOf, readEnv, secret, str, withHint } from "../../config/env.js";

export type SaslMechanism = "plain" | "scram-sha-256" | "scram-sha-512";

/** "gzip" costs CPU on both ends and saves bandwidth on text-heavy payloads (tweets); "none" is the default because loopback and LAN deployments gain nothing from it. kafkajs supports no other codec without plug-ins. */
export type KafkaCompression = "none" | "gzip";

export interface KafkaSasl {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** Everything the Kafka transport needs, independent of where it came from. */
export interface KafkaTransportConfig {
  /** host:port of one or more bootstrap brokers. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Consumer group of consumers; unused by producers. */
  readonly groupId: string;
  /** Used when the transport creates a missing topic. */
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  readonly sasl?: KafkaSasl;
  /** TLS to the brokers, verified against the system's CA store. */
  readonly ssl: boolean;
  readonly compression: KafkaCompression;
  /** A consumer in a new group starts at the earliest offset (true) or only sees new messages (false). */
  readonly fromBeginning: boolean;
  /** Session timeout of a consumer group member; heartbeats go out every third of it. */
  readonly sessionTimeoutMs: number;
  /** How long kafkajs keeps retrying a request before the operation fails. */
  readonly retry: { readonly retries: number; readonly initialRetryTimeMs: number; readonly maxRetryTimeMs: number };
}

export const defaultKafkaSettings = {
  topicPartitions: 3,
  replicationFactor: 1,
  compression: "none" as KafkaCompression,
  fromBeginning: true,
  sessionTimeoutMs: 30_000,
  // 300 ms doubling to 10 s, 10 retries: about 45 s in all, enough to ride out a broker restart or a leader election.
  retry: { retries: 10, initialRetryTimeMs: 300, maxRetryTimeMs: 10_000 },
} as const;

/** Builds the readEnv spec; `defaults` lets a service name its own client and group id. */
export function kafkaEnvSpec(defaults: { clientId?: string; groupId?: string } = {}) {
  return {
    KAFKA_BROKERS: withHint(
      list(undefined, /^(\[[0-9A-Fa-f:]+\]|[^\s:,[\]]+):\d+$/),
      "comma-separated host:port list, e.g. 127.0.0.1:9092",
    ),
    KAFKA_CLIENT_ID: str(defaults.clientId ?? "cryptostream"),
    KAFKA_GROUP_ID: str(defaults.groupId ?? "cryptostream"),
    KAFKA_TOPIC_PARTITIONS: int(defaultKafkaSettings.topicPartitions, 1, 10_000),
    KAFKA_REPLICATION_FACTOR: int(defaultKafkaSettings.replicationFactor, 1, 100),
    // "none" stands for unset: readEnv needs a fallback for optional variables.
    KAFKA_SASL_MECHANISM: oneOf(["none", "plain", "scram-sha-256", "scram-sha-512"] as const, "none"),
    KAFKA_SASL_USERNAME: str(""),
    KAFKA_SASL_PASSWORD: secret(str(""), "needed with KAFKA_SASL_MECHANISM"),
    KAFKA_SSL: bool(false),
    KAFKA_COMPRESSION: oneOf(["none", "gzip"] as const, defaultKafkaSettings.compression),
    KAFKA_FROM_BEGINNING: bool(defaultKafkaSettings.fromBeginning),
    /** How long the group waits for a silent member (a crashed processor) before rebalancing. */
    KAFKA_SESSION_TIMEOUT_MS: int(defaultKafkaSettings.sessionTimeoutMs, 6_000, 300_000),
  } satisfies Record<string, VarSpec<unknown>>;
}

/** The spec with generic client and group ids ("cryptostream"). */
export const kafkaEnv = kafkaEnvSpec();

/**
 * Reads and validates the Kafka variables; throws ConfigError listing every
 * problem (including SASL credentials missing for a chosen mechanism).
 */
export function kafkaConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  defaults: { clientId?: string; groupId?: string } = {},
): KafkaTransportConfig {
  const v = readEnv(kafkaEnvSpec(defaults), env);
  let sasl: KafkaSasl | undefined;
  if (v.KAFKA_SASL_MECHANISM !== "none") {
    const missing = [
      ...(v.KAFKA_SASL_USERNAME === "" ? ["KAFKA_SASL_USERNAME"] : []),
      ...(v.KAFKA_SASL_PASSWORD === "" ? ["KAFKA_SASL_PASSWORD"] : []),
    ];
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((n) => `${n} is not set: required with KAFKA_SASL_MECHANISM=${v.KAFKA_SASL_MECHANISM}`),
      );
    }
    sasl = { mechanism: v.KAFKA_SASL_MECHANISM, username: v.KAFKA_SASL_USERNAME, password: v.KAFKA_SASL_PASSWORD };
  }
  return {
    brokers: v.KAFKA_BROKERS,
    clientId: v.KAFKA_CLIENT_ID,
    groupId: v.KAFKA_GROUP_ID,
    topicPartitions: v.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: v.KAFKA_REPLICATION_FACTOR,
    ...(sasl ? { sasl } : {}),
    ssl: v.KAFKA_SSL,
    compression: v.KAFKA_COMPRESSION,
    fromBeginning: v.KAFKA_FROM_BEGINNING,
    sessionTimeoutMs: v.KAFKA_SESSION_TIMEOUT_MS,
    retry: defaultKafkaSettings.retry,
  };
}

/** A config for code and tests that know their brokers; everything else at its default. */
export function kafkaConfig(
  brokers: readonly string[],
  overrides: Partial<KafkaTransportConfig> = {},
): KafkaTransportConfig {
  return {
    brokers,
    clientId: "cryptostream",
    groupId: "cryptostream",
    topicPartitions: defaultKafkaSettings.topicPartitions,
    replicationFactor: defaultKafkaSettings.replicationFactor,
    ssl: false,
    compression: defaultKafkaSettings.compression,
    fromBeginning: defaultKafkaSettings.fromBeginning,
    sessionTimeoutMs: defaultKafkaSettings.sessionTimeoutMs,
    retry: defaultKafkaSettings.retry,
    ...overrides,
  };
}
