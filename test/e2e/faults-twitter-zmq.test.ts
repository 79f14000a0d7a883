/**
 * Sink faults under the twitter-processor over ZeroMQ: the simulator, the real
 * twitter-producer and twitter-processor as processes, and check_twitter.py
 * as the independent reader. The scenarios (twitter-sink-scenarios.ts) follow
 * the documented sink behaviour (README.md "When things fail", docs/hdf5-layout.md).
 */
import { test } from "node:test";
import { specResources, zmqWiring } from "../support/twitter-fault-pipeline.js";
import { diskFillsUp, fileDeletedThenGarbage } from "../support/twitter-sink-scenarios.js";

const spec = specResources("faults-twitter-zmq", false);

test(
  "the output folder fills up for 10 s: 503 failing while full, then every tweet once (ZeroMQ)",
  { timeout: 150_000 },
  async () => diskFillsUp(await zmqWiring(), spec.work),
);

test(
  "the file is deleted, then replaced by garbage: set aside, new file, every later tweet once (ZeroMQ)",
  { timeout: 150_000 },
  async () => fileDeletedThenGarbage(await zmqWiring(), spec.work),
);
