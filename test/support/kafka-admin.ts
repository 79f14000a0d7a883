/**
 * What the Kafka end-to-end tests ask the broker directly (kafkajs admin):
 * topic creation, how many messages a topic holds, and where a consumer group
 * has committed. Each call opens and closes its own short-lived client.
 */
import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type Admin } from "kafkajs";

/** A topic or group name no earlier run used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

async function withAdmin<T>(brokers: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({
    clientId: "e2e-test-admin",
    brokers: brokers.split(","),
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function createTopic(brokers: string, topic: string, partitions: number): Promise<void> {
  return withAdmin(brokers, async (admin) => {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  });
}

/** partition -> next offset to be written (the high watermark). */
export function endOffsets(brokers: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(brokers, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  });
}

/** Messages the topic holds (high minus low watermark, summed over partitions). */
export function messageCount(brokers: string, topic: string): Promise<number> {
  return withAdmin(brokers, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  });
}

/** partition -> committed offset of `group` (-1 where nothing is committed). */
export function committedOffsets(brokers: string, group: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(brokers, async (admin) => {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  });
}

/** Sum over partitions of the committed offsets (-1 counts as 0). */
export async function committedTotal(brokers: string, group: string, topic: string): Promise<number> {
  let n = 0;
  for (const o of (await committedOffsets(brokers, group, topic)).values()) n += Math.max(0, o);
  return n;
}

/**
 * True when `group` has committed everything the topic holds: every effect of
 * every message is durable, so a restart would replay nothing.
 */
export async function groupCaughtUp(brokers: string, group: string, topic: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([endOffsets(brokers, topic), committedOffsets(brokers, group, topic)]);
  for (const [partition, end] of ends) {
    const c = committed.get(partition) ?? -1;
    if (end > 0 && c < end) return false;
  }
  return true;
}

/**
 * True when the processors (members of one group) have taken in everything
 * the topic holds: for every partition, one of them has a
 * pipeline_log_position at its end offset. (A processor that is quiet may
 * only be waiting to reconnect, or to be given partitions.)
 */
export async function readToEnd(
  brokers: string,
  topic: string,
  processors: ReadonlyArray<{ metric(name: string, labels?: string): Promise<number> }>,
): Promise<boolean> {
  for (const [partition, end] of await endOffsets(brokers, topic)) {
    if (end === 0) continue;
    const positions = await Promise.all(
      processors.map((p) => p.metric("pipeline_log_position", `partition="${partition}"`)),
    );
    if (Math.max(...positions) < end) return false;
  }
  return true;
}

export interface RawMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: Buffer;
}

/**
 * Reads every message the topic holds now, with a plain kafkajs consumer in a
 * throwaway group (no code of the services involved), in partition order.
 */
export async function readTopic(brokers: string, topic: string, timeoutMs = 30_000): Promise<RawMessage[]> {
  const ends = await endOffsets(brokers, topic);
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  const kafka = new Kafka({ clientId: "e2e-test-reader", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName("e2e-reader"), maxWaitTimeInMs: 200 });
  const got: RawMessage[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({
          partition,
          offset: message.offset,
          key: message.key?.toString("utf8"),
          value: message.value ?? Buffer.alloc(0),
        });
        if (got.length >= total) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${got.length} of ${total} messages of ${topic}`)), timeoutMs);
    });
    if (total > 0) await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return got.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
