// Benchmark over Kafka (a real broker: KAFKA_BROKERS, or a local one started from
// scripts/kafka/ in a temporary data dir):
//  (i)   producer: how fast the product's Kafka producer (idempotent, acks from all
//        in-sync replicas) publishes realistic ticker events in arrays of 500, one
//        publish awaited after the other, as the binance-producer's outbox does (the
//        next array is built while one is in flight, as frames keep arriving there);
//  (ii)  ingest: the binance-processor service process (TRANSPORT=kafka) started on
//        the topic (i) filled, timed until its pipeline_messages_in_total reaches N;
//  (iii) lag: a fresh processor, events published at a fixed rate for a while, the
//        processor's counter sampled; lag = time from an event's scheduled publish
//        to the first sample that counts it.
// Needs `npm run build` first.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, ServiceProcess, sleep } from "../scripts/lib/service-process.mjs";
import { tickerMessages } from "./ticker-messages.mjs";

const BATCH = Number(process.env.BENCH_KAFKA_BATCH ?? 500);

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return NaN;
  }
}

const unique = (prefix) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function withBroker(fn) {
  if (process.env.KAFKA_BROKERS) return fn({ brokers: process.env.KAFKA_BROKERS, external: true, startMs: 0 });
  const { startBroker, KAFKA_VERSION } = await import(path.join(ROOT, "scripts/kafka/broker-lib.mjs"));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-kafka-"));
  const broker = await startBroker({ dataDir, heapMb: 1024 });
  try {
    return await fn({ brokers: broker.brokers, external: false, startMs: broker.startMs, version: KAFKA_VERSION });
  } finally {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The product's Kafka producer (services/common), configured as the services configure it. */
export async function productProducer(brokers, partitions) {
  const common = (p) => path.join(ROOT, "services/common/dist", p);
  const { createKafkaTransport } = await import(common("transport/kafka/index.js"));
  const { silentLogger } = await import(common("index.js"));
  const transport = createKafkaTransport(
    { KAFKA_BROKERS: brokers, KAFKA_TOPIC_PARTITIONS: String(partitions), KAFKA_CLIENT_ID: "bench-producer" },
    silentLogger,
  );
  const producer = transport.producer();
  await producer.start();
  return producer;
}

function batchOf(gen, from, to) {
  const out = [];
  for (let i = from; i < to; i++) out.push({ key: gen.symbolOf(i), value: Buffer.from(gen.message(i), "utf8") });
  return out;
}

/** Starts the binance-processor on `topic`; resolves once it serves /metrics. */
async function startProcessor({ brokers, topic, dir }) {
  const proc = new ServiceProcess(
    "binance-processor",
    {
      TRANSPORT: "kafka",
      KAFKA_BROKERS: brokers,
      KAFKA_GROUP_ID: unique("bench-proc"),
      BINANCE_TOPIC: topic,
      BINANCE_SYMBOLS: "*",
      WINDOW_SECONDS: "60",
      ALLOWED_LATENESS_SECONDS: "5",
      BINANCE_H5_PATH: path.join(dir, `${topic}.h5`),
    },
    { stderr: "inherit" },
  );
  await proc.healthPort(60_000);
  return proc;
}

/** (i) Publishes `events` in arrays of BATCH, each awaited (acks=all). */
export async function benchProduce({ producer, topic, gen, events }) {
  await producer.ensureTopics([topic]);
  let bytes = 0;
  const t0 = performance.now();
  // As in the binance-producer, the next events arrive (here: are built) while a
  // publish is in flight; publishes themselves stay one at a time, in order.
  let batch = batchOf(gen, 0, Math.min(events, BATCH));
  for (let i = 0; i < events; i += BATCH) {
    for (const m of batch) bytes += m.value.length;
    const published = producer.publish(topic, batch);
    batch = batchOf(gen, i + BATCH, Math.min(events, i + 2 * BATCH));
    await published;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    events,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(events / seconds),
    megabytesPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)),
    meanMessageBytes: Math.round(bytes / events),
    publishSize: BATCH,
    acks: "all",
    idempotent: true,
  };
}

/** (ii) Starts the processor on a filled topic and times it to `events`. */
async function benchIngest({ brokers, topic, events, dir }) {
  const t0 = performance.now();
  const p = await startProcessor({ brokers, topic, dir });
  let first;
  let last;
  let peak = 0;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const n = await p.metric("pipeline_messages_in_total");
    const now = performance.now();
    peak = Math.max(peak, rssMb(p.pid));
    if (n > 0 && !first) first = [now, n];
    last = [now, n];
    if (n >= events) break;
    if (p.exitCode !== undefined || Date.now() > deadline) throw new Error(`ingest stopped at ${n} of ${events}`);
    await sleep(100);
  }
  const exitCode = await p.stop("SIGTERM");
  const seconds = (last[0] - first[0]) / 1000;
  return {
    events,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round((last[1] - first[1]) / seconds),
    startToFirstEventSeconds: Number(((first[0] - t0) / 1000).toFixed(2)),
    peakRssMb: Math.round(peak),
    exitCode,
  };
}

/** (iii) Publishes at `rate` events/s for `seconds` and samples the processor's count every `sampleMs`. */
async function benchLag({ brokers, producer, gen, dir, rate, seconds, sampleMs = 20, tickMs = 50 }) {
  const topic = unique("bench-lag");
  await producer.ensureTopics([topic]);
  const p = await startProcessor({ brokers, topic, dir });
  await p.waitForLog((l) => l.msg === "joined Kafka consumer group", 60_000);
  const total = Math.round(rate * seconds);
  const due = []; // [cumulative count, scheduled time]
  const samples = []; // [time, count]
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push([performance.now(), await p.metric("pipeline_messages_in_total")]);
      await sleep(sampleMs);
    }
  })();
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const target = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    if (target > sent) {
      // Event i is due at t0 + i / rate; the batch is stamped with the due time of its last event.
      const to = target;
      const batch = batchOf(gen, sent, to);
      due.push([to, t0 + (to / rate) * 1000]);
      sent = to;
      await producer.publish(topic, batch);
    }
    await sleep(tickMs);
  }
  const publishSeconds = (performance.now() - t0) / 1000;
  const endDeadline = Date.now() + 60_000;
  while (samples.length === 0 || samples[samples.length - 1][1] < total) {
    if (Date.now() > endDeadline) break;
    await sleep(sampleMs);
  }
  sampling = false;
  await sampler;
  const exitCode = await p.stop("SIGTERM");
  const lags = [];
  const slow = []; // [seconds into the run, lag] of batches over 250 ms: when the tail happens
  let j = 0;
  for (const [count, at] of due) {
    while (j < samples.length && samples[j][1] < count) j++;
    if (j === samples.length) break;
    const lag = Math.max(0, samples[j][0] - at);
    lags.push(lag);
    if (lag > 250) slow.push([Number(((at - t0) / 1000).toFixed(1)), Math.round(lag)]);
  }
  lags.sort((a, b) => a - b);
  const ms = (x) => (x === undefined ? null : Math.round(x));
  return {
    ratePerSecond: rate,
    seconds,
    events: total,
    achievedRatePerSecond: Math.round(total / publishSeconds),
    batches: due.length,
    measured: lags.length,
    p50Ms: ms(percentile(lags, 50)),
    p95Ms: ms(percentile(lags, 95)),
    p99Ms: ms(percentile(lags, 99)),
    maxMs: ms(lags[lags.length - 1]),
    sampleEveryMs: sampleMs,
    over250MsAt: slow.slice(0, 40),
    exitCode,
  };
}

export async function benchKafka({
  events = 1_000_000,
  symbols = 200,
  partitions = 3,
  lagRate = 5_000,
  lagSeconds = 20,
} = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-kafka-proc-"));
  try {
    return await withBroker(async (broker) => {
      const gen = tickerMessages({ symbols });
      const producer = await productProducer(broker.brokers, partitions);
      try {
        const topic = unique("bench-ingest");
        const produce = await benchProduce({ producer, topic, gen, events });
        const ingest = await benchIngest({ brokers: broker.brokers, topic, events, dir });
        const lag = await benchLag({
          brokers: broker.brokers,
          producer,
          gen: tickerMessages({ symbols }),
          dir,
          rate: lagRate,
          seconds: lagSeconds,
        });
        return {
          name: "binance-processor over Kafka: producer publish rate, ingest from a filled topic, end-to-end lag",
          events,
          symbols,
          partitions,
          broker: { external: broker.external, version: broker.version ?? null, startMs: broker.startMs },
          producer: produce,
          ingest,
          lag,
          eventsPerSecond: ingest.eventsPerSecond,
          floor: { eventsPerSecond: 50_000 },
        };
      } finally {
        await producer.stop();
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: node bench/processor-kafka.mjs [events]
if (import.meta.url === `file://${process.argv[1]}`) {
  const events = Number(process.argv[2] ?? process.env.BENCH_KAFKA_EVENTS ?? 1_000_000);
  console.log(JSON.stringify(await benchKafka({ events }), null, 2));
}
