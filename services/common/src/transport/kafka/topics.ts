import type { Admin, Kafka } from "kafkajs";
import type { Logger } from "../../log/logger.js";
import type { KafkaTransportConfig } from "./config.js";

export interface TopicLayout {
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** True for kafkajs's "topic already exists" error (code 36), however it is wrapped. */
function alreadyExists(err: unknown): boolean {
  const e = err as { type?: string; errors?: unknown[]; cause?: unknown } | undefined;
  if (!e) return false;
  if (e.type === "TOPIC_ALREADY_EXISTS") return true;
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(alreadyExists)) return true;
  return e.cause !== undefined && alreadyExists(e.cause);
}

/**
 * Creates the topics that do not exist yet with the configured layout and waits
 * until they have leaders. Existing topics are left as they are (a different
 * partition count is logged, not changed: changing it would move keys).
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  layout: TopicLayout,
  log: Logger,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: layout.partitions,
          replicationFactor: layout.replicationFactor,
        })),
      });
      log.info("created Kafka topics", { topics: missing, ...layout });
    } catch (err) {
      // Another producer or consumer created it between listTopics and createTopics.
      if (!alreadyExists(err)) throw err;
    }
  }
  const present = topics.filter((t) => existing.has(t));
  if (present.length > 0) {
    const meta = await admin.fetchTopicMetadata({ topics: present });
    for (const t of meta.topics) {
      if (t.partitions.length !== layout.partitions) {
        log.warn("Kafka topic has a different partition count than configured; keeping it", {
          topic: t.name,
          partitions: t.partitions.length,
          configured: layout.partitions,
        });
      }
    }
  }
}

/** Connects an admin client, creates `topic` with the configured layout if missing, disconnects. */
export async function ensureTopic(kafka: Kafka, cfg: KafkaTransportConfig, topic: string, log: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      [topic],
      { partitions: cfg.topicPartitions, replicationFactor: cfg.replicationFactor },
      log,
    );
  } finally {
    await admin.disconnect();
  }
}
