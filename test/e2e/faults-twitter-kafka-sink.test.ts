/**
 * Sink faults under the twitter-processor over Kafka (one broker for this
 * file, on loopback): the same scenarios as faults-twitter-zmq.test.ts, each
 * on its own topic and consumer group.
 */
import { test } from "node:test";
import { kafkaWiring, specResources } from "../support/twitter-fault-pipeline.js";
import { diskFillsUp, fileDeletedThenGarbage } from "../support/twitter-sink-scenarios.js";

const spec = specResources("faults-twitter-kafka-sink", true);

test(
  "the output folder fills up for 10 s: 503 failing while full, then every tweet once (Kafka)",
  { timeout: 150_000 },
  () => diskFillsUp(kafkaWiring(spec.broker.brokers), spec.work),
);

test(
  "the file is deleted, then replaced by garbage: set aside, new file, every later tweet once (Kafka)",
  { timeout: 150_000 },
  () => fileDeletedThenGarbage(kafkaWiring(spec.broker.brokers), spec.work),
);
