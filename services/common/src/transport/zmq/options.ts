/**
 * ZeroMQ socket settings and why they have these values.
 *
 * - Frames per ZeroMQ message (default 64): a producer's batch goes out as
 *   multipart messages of at most this many frames, one event per frame.
 * - PUSH send high-water mark (default 1,000 ZeroMQ messages, at most 64,000
 *   events, about 30 MB of 430-byte ticker events): a processor that is down
 *   or slow makes the producer queue this much in ZeroMQ's own memory; past
 *   it `send` waits instead of dropping, and the producer's bounded outbox
 *   decides what gives (see common/outbox).
 * - PULL receive high-water mark (default 100 messages, at most 6,400
 *   events): enough to keep a busy processor fed, small because every queued
 *   frame is a separate native allocation: at 2,000 a processor under full
 *   load held about 90 MB more resident memory, and ran no faster. ZeroMQ
 *   counts it in messages, whose size the sender decides; the bytes are
 *   bounded by the largest frame accepted (below) and, after receipt, by the
 *   consumer's batch limits in events and bytes (ZmqPullConsumer).
 * - Largest frame accepted (default 16 MB, ZMQ_MAXMSGSIZE): a peer sending a
 *   bigger frame is disconnected instead of filling the receive queue. Our
 *   largest frames (a pickled page of 100 tweets) are tens of kilobytes.
 * - linger (default 5,000 ms): on a graceful stop the PUSH socket keeps trying
 *   to hand over what is queued for this long before the process exits.
 * - immediate on PUSH: messages are queued only for peers whose connection is
 *   complete, so nothing is parked on a half-open connection.
 */
export interface ZmqOptions {
  readonly maxFrames: number;
  readonly sendHighWaterMark: number;
  readonly receiveHighWaterMark: number;
  readonly lingerMs: number;
  readonly maxFrameBytes: number;
}

export const defaultZmqOptions: ZmqOptions = {
  maxFrames: 64,
  sendHighWaterMark: 1_000,
  receiveHighWaterMark: 100,
  lingerMs: 5_000,
  maxFrameBytes: 16 * 2 ** 20,
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
