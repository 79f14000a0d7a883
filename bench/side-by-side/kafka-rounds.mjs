// Binance ingest over Kafka, side by side: one topic (3 partitions) is filled once by
// the product's producer, then in interleaved rounds our binance-processor and the
// kafka-python reference each read all of it from the start in a consumer group of
// their own. Starts its own single-node broker (scripts/kafka) unless KAFKA_BROKERS is set.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchProduce, productProducer, withBroker } from "../processor-kafka.mjs";
import { tickerMessages } from "../ticker-messages.mjs";
import { ourProcessor, pythonBinanceKafka } from "./contenders.mjs";
import { measure } from "./measure.mjs";

const PARTITIONS = 3;

export async function kafkaRounds({ events, rounds, log }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sbs-kafka-"));
  try {
    return await withBroker(async (broker) => {
      const topic = `bench-sbs-${Date.now().toString(36)}`;
      const producer = await productProducer(broker.brokers, PARTITIONS);
      let produce;
      try {
        produce = await benchProduce({ producer, topic, gen: tickerMessages({ symbols: 200 }), events });
      } finally {
        await producer.stop();
      }
      log(`kafka topic filled: ${events} events at ${produce.eventsPerSecond}/s`);
      const starters = {
        python: (k) => pythonBinanceKafka(broker.brokers, topic, path.join(dir, `python-${k}.h5`)),
        ours: (k) =>
          ourProcessor("binance-processor over Kafka", {
            TRANSPORT: "kafka",
            KAFKA_BROKERS: broker.brokers,
            KAFKA_GROUP_ID: `bench-sbs-${k}`,
            BINANCE_TOPIC: topic,
            BINANCE_H5_PATH: path.join(dir, `ours-${k}.h5`),
          }),
      };
      const runs = [];
      for (let r = 0; r < rounds; r++)
        for (const key of ["python", "ours"]) {
          const c = await starters[key](`${r}`);
          try {
            const m = await measure(c, { events });
            log(`kafka round ${r + 1} ${key}: ${m.eventsPerSecond} events/s, ${m.cpuSecondsPerMillion} CPU s/M`);
            runs.push({ round: r + 1, contender: key, name: c.name, ...m });
          } finally {
            await c.stop();
          }
        }
      return { broker: { version: broker.version ?? null, external: broker.external }, produce, runs };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
