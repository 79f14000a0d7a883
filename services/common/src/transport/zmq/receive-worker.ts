/**
 * The receiving half of ZmqWorkerPullConsumer, run in a worker thread: reads
 * the PULL socket and copies the frames of many messages into one buffer,
 * posted (transferred, not copied) to the main thread with the frames' end
 * offsets. What zeromq.js costs per message (a promise, a Buffer whose
 * native memory waits for a finalizer) is paid here, beside the processor's
 * thread; the main thread sees one buffer per batch.
 *
 * At most `maxOutstanding` batches are with the main thread; past that the
 * socket is not read and ZeroMQ's high-water marks push back on the sender.
 * A batch is posted when it is full, or when the queue ran empty and the main
 * thread is idle; while the main thread is busy it keeps filling.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";

export interface ReceiveWorkerSetup {
  readonly endpoints: readonly string[];
  readonly receiveHighWaterMark: number;
  readonly maxFrameBytes: number;
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly maxOutstanding: number;
}

/** Main -> worker: "credit" (a batch was handled), "stop". Worker -> main: a batch. */
export interface ReceivedBatch {
  readonly bytes: ArrayBuffer;
  readonly ends: Uint32Array;
}

const setup = workerData as ReceiveWorkerSetup;
const port = parentPort!;
const sock = new zmq.Pull({
  receiveHighWaterMark: setup.receiveHighWaterMark,
  maxMessageSize: setup.maxFrameBytes,
  linger: 0,
});
for (const ep of setup.endpoints) sock.connect(ep);

let outstanding = 0;
let stopping = false;
let frames: Buffer[] = [];
let bytes = 0;
let wake: (() => void) | undefined;

port.on("message", (m: string) => {
  if (m === "credit") {
    outstanding--;
    // The main thread went idle while the loop waits on an empty socket: hand it what is here.
    if (outstanding === 0 && frames.length > 0 && sock.receiveTimeout === -1) post();
  } else if (m === "stop") {
    stopping = true;
    sock.close();
  }
  wake?.();
});

function post(): void {
  const out = new Uint8Array(bytes);
  const ends = new Uint32Array(frames.length);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    out.set(frames[i]!, at);
    ends[i] = at += frames[i]!.length;
  }
  frames = [];
  bytes = 0;
  outstanding++;
  const batch: ReceivedBatch = { bytes: out.buffer, ends };
  port.postMessage(batch, [out.buffer, ends.buffer]);
}

function take(parts: Buffer[]): void {
  for (const f of parts) {
    frames.push(f);
    bytes += f.length;
  }
}

const full = () => frames.length >= setup.maxEvents || bytes >= setup.maxBytes;
const isEagain = (err: unknown) => (err as { code?: string }).code === "EAGAIN";

async function run(): Promise<void> {
  while (!stopping) {
    if (full() || outstanding >= setup.maxOutstanding) {
      if (full() && outstanding < setup.maxOutstanding) post();
      else await new Promise<void>((r) => (wake = r));
      wake = undefined;
      continue;
    }
    // Drain what is queued without waiting (no promise is left pending per message).
    sock.receiveTimeout = 0;
    let empty = false;
    try {
      while (!full()) take(await sock.receive());
    } catch (err) {
      if (!isEagain(err)) throw err;
      empty = true;
    }
    if (!empty) continue;
    if (frames.length > 0 && outstanding === 0) {
      post();
      continue;
    }
    // Nothing queued: wait for the next message (a credit arriving meanwhile posts what is held).
    sock.receiveTimeout = -1;
    take(await sock.receive());
  }
}

run().then(
  () => port.close(),
  (err: unknown) => {
    if (!(stopping || sock.closed)) throw err;
    port.close();
  },
);
