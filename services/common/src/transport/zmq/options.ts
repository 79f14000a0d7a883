/**
 * ZeroMQ socket settings and why they have these values.
 *
 * - PUSH send high-water mark (default 100,000 messages): a processor that is
 *   down or slow makes the producer queue up to this many messages per peer in
 *   ZeroMQ's own memory (about 50 MB of 500-byte ticker events); past it,
 *   `send` waits instead of dropping, and the producer's bounded outbox
 *   decides what gives (see binance-producer).
 * - PULL receive high-water mark (default 100,000): smooths bursts while the
 *   processor is writing HDF5 without holding unbounded memory.
 * - linger (default 5,000 ms): on a graceful stop the PUSH socket keeps trying
 *   to hand over what is queued for this long before the process exits.
 * - immediate on PUSH: messages are queued only for peers whose connection is
 *   complete, so nothing is parked on a half-open connection.
 */
export interface ZmqOptions {
  readonly sendHighWaterMark: number;
  readonly receiveHighWaterMark: number;
  readonly lingerMs: number;
}

export const defaultZmqOptions: ZmqOptions = {
  sendHighWaterMark: 100_000,
  receiveHighWaterMark: 100_000,
  lingerMs: 5_000,
};

/**
 * Topic name -> endpoint. A producer binds each topic's endpoint; consumers
 * connect to it. One socket per topic keeps each stream's ordering and load
 * balancing independent.
 */
export type ZmqEndpoints = Readonly<Record<string, string>>;

export function endpointFor(endpoints: ZmqEndpoints, topic: string): string {
  const ep = endpoints[topic];
  if (!ep) throw new Error(`no ZeroMQ endpoint configured for topic "${topic}"`);
  return ep;
}
