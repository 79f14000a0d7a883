import type { OutboundMessage } from "../transport.js";

/**
 * Splits messages, in order, into runs of at most `maxBytes` of payload (key
 * plus value) and `maxCount` messages. kafkajs puts everything one `send` holds
 * for a partition into a single record batch, and the broker refuses a batch
 * larger than message.max.bytes (about 1 MiB by default); chunking keeps large
 * publishes under it. A message bigger than `maxBytes` travels alone.
 */
export function chunkMessages(
  messages: readonly OutboundMessage[],
  maxBytes: number,
  maxCount = 10_000,
): OutboundMessage[][] {
  const chunks: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.value.length + (m.key ? Buffer.byteLength(m.key) : 0);
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= maxCount)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
