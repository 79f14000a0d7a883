import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../../config/env.js";
import { createLogger } from "../../log/logger.js";
import { kafkaConfigFromEnv } from "./config.js";
import { kafkajsClientConfig } from "./client.js";
import { chunkMessages } from "./chunk.js";
import { kafkajsLogCreator } from "./log-bridge.js";
import { toDelivery } from "./consumer.js";
import { logLevel } from "./kafkajs.js";

test("Kafka env: defaults and lists", () => {
  const cfg = kafkaConfigFromEnv({ KAFKA_BROKERS: "127.0.0.1:9092, kafka:29092" }, { groupId: "binance-processor" });
  assert.deepEqual(cfg.brokers, ["127.0.0.1:9092", "kafka:29092"]);
  assert.equal(cfg.groupId, "binance-processor");
  assert.equal(cfg.clientId, "cryptostream");
  assert.equal(cfg.topicPartitions, 3);
  assert.equal(cfg.replicationFactor, 1);
  assert.equal(cfg.ssl, false);
  assert.equal(cfg.compression, "none");
  assert.equal(cfg.sasl, undefined);
});

test("Kafka env: explicit values win over service defaults", () => {
  const cfg = kafkaConfigFromEnv(
    {
      KAFKA_BROKERS: "[::1]:9093",
      KAFKA_CLIENT_ID: "me",
      KAFKA_GROUP_ID: "g",
      KAFKA_TOPIC_PARTITIONS: "12",
      KAFKA_REPLICATION_FACTOR: "3",
      KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
      KAFKA_SASL_USERNAME: "u",
      KAFKA_SASL_PASSWORD: "hunter22",
      KAFKA_SSL: "true",
      KAFKA_COMPRESSION: "gzip",
    },
    { groupId: "ignored" },
  );
  assert.deepEqual(cfg.brokers, ["[::1]:9093"]);
  assert.equal(cfg.groupId, "g");
  assert.equal(cfg.topicPartitions, 12);
  assert.equal(cfg.replicationFactor, 3);
  assert.deepEqual(cfg.sasl, { mechanism: "scram-sha-512", username: "u", password: "hunter22" });
  assert.equal(cfg.ssl, true);
  const kc = kafkajsClientConfig(cfg, createLogger({}, { sink: () => undefined }));
  assert.equal(kc.ssl, true);
  assert.deepEqual(kc.sasl, { mechanism: "scram-sha-512", username: "u", password: "hunter22" });
});

test("Kafka env: every problem reported at once, secrets not echoed", () => {
  let err: unknown;
  try {
    kafkaConfigFromEnv({
      KAFKA_TOPIC_PARTITIONS: "zero",
      KAFKA_SASL_MECHANISM: "kerberos",
      KAFKA_SASL_PASSWORD: "s3cr3t!",
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  const text = err.problems.join("\n");
  assert.match(text, /KAFKA_BROKERS is not set/);
  assert.match(text, /KAFKA_TOPIC_PARTITIONS="zero" is invalid/);
  assert.match(text, /KAFKA_SASL_MECHANISM="kerberos" is invalid/);
  assert.doesNotMatch(text, /s3cr3t/);
});

test("Kafka env: a SASL mechanism needs username and password", () => {
  assert.throws(
    () => kafkaConfigFromEnv({ KAFKA_BROKERS: "h:1", KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_USERNAME: "u" }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && /KAFKA_SASL_PASSWORD/.test(e.problems[0]!),
  );
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_BROKERS: "no-port" }), ConfigError);
});

test("chunkMessages keeps order and bounds bytes and counts", () => {
  const msgs = Array.from({ length: 25 }, (_, i) => ({ key: "k", value: Buffer.alloc(99, i) }));
  const chunks = chunkMessages(msgs, 1000, 8);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [8, 8, 8, 1],
  );
  assert.deepEqual(chunks.flat(), msgs);
  const bytes = chunkMessages(msgs, 450);
  assert.ok(bytes.every((c) => c.reduce((n, m) => n + m.value.length + 1, 0) <= 450));
  assert.equal(bytes.flat().length, 25);
  // An oversized message goes alone rather than being dropped.
  const big = chunkMessages(
    [{ value: Buffer.alloc(10) }, { value: Buffer.alloc(5000) }, { value: Buffer.alloc(10) }],
    100,
  );
  assert.deepEqual(
    big.map((c) => c.length),
    [1, 1, 1],
  );
  assert.deepEqual(chunkMessages([], 100), []);
});

test("kafkajs log entries become JSON log lines with their level", () => {
  const lines: string[] = [];
  const log = createLogger({ service: "t" }, { level: "debug", sink: (l) => lines.push(l) });
  const emit = kafkajsLogCreator(log)(logLevel.INFO);
  emit({
    namespace: "Connection",
    level: logLevel.ERROR,
    label: "ERROR",
    log: { timestamp: "x", message: "boom", logger: "kafkajs", broker: "b:1" },
  });
  emit({ namespace: "Runner", level: logLevel.INFO, label: "INFO", log: { timestamp: "x", message: "hi" } });
  const recs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(recs.length, 2);
  assert.equal(recs[0]!.level, "error");
  assert.equal(recs[0]!.msg, "boom");
  assert.equal(recs[0]!.broker, "b:1");
  assert.equal(recs[0]!.namespace, "Connection");
  assert.equal(recs[0]!.component, "kafkajs");
  assert.equal(recs[1]!.level, "info");
});

test("toDelivery maps kafkajs messages", () => {
  const d = toDelivery("t", 2, {
    key: Buffer.from("BTCUSDT"),
    value: Buffer.from("v"),
    offset: "41",
    timestamp: "0",
    attributes: 0,
    headers: {},
  });
  assert.deepEqual(d, { topic: "t", key: "BTCUSDT", value: Buffer.from("v"), partition: 2, offset: "41" });
  const n = toDelivery("t", 0, { key: null, value: null, offset: "0", timestamp: "0", attributes: 0, headers: {} });
  assert.equal(n.key, undefined);
  assert.equal(n.value.length, 0);
});
