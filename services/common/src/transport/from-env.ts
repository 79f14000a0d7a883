import { type Logger } from "../log/logger.js";
import { list, oneOf, readEnv, str } from "../config/env.js";
import type { Consumer, Producer } from "./transport.js";
import { ZmqPullConsumer } from "./zmq/pull-consumer.js";
import { ZmqWorkerPullConsumer } from "./zmq/worker-pull-consumer.js";
import { ZmqPushProducer } from "./zmq/push-producer.js";
import { defaultZmqOptions } from "./zmq/options.js";
import { int } from "../config/env.js";

interface KafkaModule {
  kafkaProducerFromEnv(env: NodeJS.ProcessEnv, log: Logger): Producer;
  kafkaConsumerFromEnv(env: NodeJS.ProcessEnv, log: Logger, defaultGroupId: string): Consumer;
}
// Resolved at run time so that ZeroMQ-only deployments never load kafkajs.
const KAFKA_MODULE = "./kafka/index.js";
const loadKafka = async (): Promise<KafkaModule> => (await import(KAFKA_MODULE)) as KafkaModule;

/**
 * Picks the transport from the environment (TRANSPORT=zmq|kafka). Kafka code
 * is loaded only when chosen, so ZeroMQ deployments never load kafkajs.
 */
export type TransportKind = "zmq" | "kafka";

export interface TransportChoice {
  /** Logical stream name: "binance" or "twitter". */
  readonly stream: "binance" | "twitter";
  /** ZeroMQ endpoint used when ZMQ_BIND / ZMQ_CONNECT is not set. */
  readonly defaultEndpoint: string;
  readonly log: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ProducerFromEnv {
  readonly kind: TransportKind;
  readonly topic: string;
  readonly producer: Producer;
}
export interface ConsumerFromEnv {
  readonly kind: TransportKind;
  readonly topic: string;
  readonly consumer: Consumer;
}

function topicVar(stream: string): string {
  return `${stream.toUpperCase()}_TOPIC`;
}

function zmqOptions(env: NodeJS.ProcessEnv) {
  const o = readEnv(
    {
      ZMQ_MAX_FRAMES: int(defaultZmqOptions.maxFrames, 1, 10_000),
      ZMQ_SNDHWM: int(defaultZmqOptions.sendHighWaterMark, 1),
      ZMQ_RCVHWM: int(defaultZmqOptions.receiveHighWaterMark, 1),
      ZMQ_LINGER_MS: int(defaultZmqOptions.lingerMs, 0),
      ZMQ_MAX_FRAME_BYTES: int(defaultZmqOptions.maxFrameBytes, 1),
    },
    env,
  );
  return {
    maxFrames: o.ZMQ_MAX_FRAMES,
    sendHighWaterMark: o.ZMQ_SNDHWM,
    receiveHighWaterMark: o.ZMQ_RCVHWM,
    lingerMs: o.ZMQ_LINGER_MS,
    maxFrameBytes: o.ZMQ_MAX_FRAME_BYTES,
  };
}

function readChoice(c: TransportChoice) {
  const env = c.env ?? process.env;
  const tv = topicVar(c.stream);
  const base = readEnv({ TRANSPORT: oneOf(["zmq", "kafka"] as const, "zmq"), [tv]: str(c.stream) }, env);
  return { env, kind: base.TRANSPORT as TransportKind, topic: base[tv] as string };
}

export async function producerFromEnv(c: TransportChoice): Promise<ProducerFromEnv> {
  const { env, kind, topic } = readChoice(c);
  if (kind === "kafka") {
    const kafka = await loadKafka();
    return { kind, topic, producer: kafka.kafkaProducerFromEnv(env, c.log) };
  }
  const { ZMQ_BIND } = readEnv({ ZMQ_BIND: str(c.defaultEndpoint) }, env);
  return { kind, topic, producer: new ZmqPushProducer({ [topic]: ZMQ_BIND }, zmqOptions(env)) };
}

export async function consumerFromEnv(c: TransportChoice): Promise<ConsumerFromEnv> {
  const { env, kind, topic } = readChoice(c);
  if (kind === "kafka") {
    const kafka = await loadKafka();
    return { kind, topic, consumer: kafka.kafkaConsumerFromEnv(env, c.log, `${c.stream}-processor`) };
  }
  // ZMQ_CONNECT may list several producers; PULL fair-queues between them.
  const { ZMQ_CONNECT } = readEnv({ ZMQ_CONNECT: list([c.defaultEndpoint]) }, env);
  const endpoints = { [topic]: ZMQ_CONNECT.join(",") };
  // ZMQ_RECEIVE_THREAD: "worker" reads the socket in a worker thread (zmq/receive-worker.ts).
  const { ZMQ_RECEIVE_THREAD } = readEnv({ ZMQ_RECEIVE_THREAD: oneOf(["main", "worker"] as const, "worker") }, env);
  const consumer =
    ZMQ_RECEIVE_THREAD === "worker"
      ? new ZmqWorkerPullConsumer(endpoints, zmqOptions(env))
      : new ZmqPullConsumer(endpoints, zmqOptions(env));
  return { kind, topic, consumer };
}
