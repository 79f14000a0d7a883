import type { ICustomPartitioner, PartitionerArgs } from "kafkajs";
import { Partitioners } from "./kafkajs.js";

/** Bound of each cache below; market keys are a few hundred symbols, tweet keys one query. */
const MAX_KEYS = 10_000;

/**
 * Message keys as Buffers, one per distinct key: kafkajs otherwise turns the
 * same string into bytes twice per message (murmur2, then the record).
 */
export class KeyBuffers {
  private readonly cache = new Map<string, Buffer>();

  of(key: string): Buffer {
    let b = this.cache.get(key);
    if (!b) {
      if (this.cache.size >= MAX_KEYS) this.cache.clear();
      b = Buffer.from(key, "utf8");
      this.cache.set(key, b);
    }
    return b;
  }
}

/**
 * kafkajs's DefaultPartitioner (Java-compatible murmur2), remembering the
 * partition of each key Buffer per topic and partition count: murmur2 on
 * kafkajs's 64-bit Long emulation costs several µs per message, and a keyed
 * message always maps to the same partition while the count is unchanged.
 * Keyless messages and explicit partitions go to the default as they are.
 */
export const memoizedDefaultPartitioner: ICustomPartitioner = () => {
  const base = Partitioners.DefaultPartitioner();
  const byTopic = new Map<string, Map<Buffer, number>>();
  return (args: PartitionerArgs) => {
    const { topic, partitionMetadata, message } = args;
    if (message.partition != null || !Buffer.isBuffer(message.key)) return base(args);
    const id = `${topic}\u0000${partitionMetadata.length}`;
    let cache = byTopic.get(id);
    if (!cache || cache.size >= MAX_KEYS) {
      cache = new Map();
      byTopic.set(id, cache);
    }
    let p = cache.get(message.key);
    if (p === undefined) {
      p = base(args);
      cache.set(message.key, p);
    }
    return p;
  };
};
