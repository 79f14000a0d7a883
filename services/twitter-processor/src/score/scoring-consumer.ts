/**
 * Puts the second core to work: a consumer wrapper that decodes each batch and has its
 * texts scored (preprocessing + VADER) on a worker thread while the sink runtime, on the
 * main thread, handles the batch before it (accept, windows, HDF5 writes).
 *
 * Order and exactness: batches reach the runtime one at a time, in the order the transport
 * delivered them, each only once the runtime has finished the one before; the model then
 * finds each text's scores (scoredAhead) and each message's decoded value (decodedAhead)
 * instead of computing them, and computes in place whatever is missing, so the rows are
 * the ones it would have written without the worker. At most two batches are past the
 * transport: one being handled, one being scored; the transport holds back the rest.
 *
 * For transports that keep no log (ZeroMQ). Stop: the transport stops first (its batch in
 * progress is handed over), then the batch being handled finishes, then the worker ends;
 * only then does the runtime write what it holds.
 */
import { Worker } from "node:worker_threads";
import type {
  AssignedPartition,
  BatchHandler,
  CommitPoint,
  Consumer,
  ConsumerStatus,
  Delivery,
  RevokeReason,
} from "@cryptostream/common";
import { decodeNow } from "../response/decode-response.js";
import { labelForScore } from "../text/index.js";
import { decodedAhead, type ScoreReply, scoredAhead } from "./scored-batch.js";

export class ScoringConsumer implements Consumer {
  readonly replays: boolean;
  readonly onRevoke?: (cb: (reason: RevokeReason) => Promise<void>) => void;
  readonly onAssign?: (cb: (assigned: readonly AssignedPartition[]) => Promise<void>) => void;
  readonly status?: () => ConsumerStatus | undefined;
  readonly lastContact?: () => number | undefined;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: ScoreReply) => void; reject: (e: Error) => void }>();
  /** The batch the runtime is handling: settled once it has. */
  private handled: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly inner: Consumer) {
    this.replays = inner.replays;
    if (inner.onRevoke) this.onRevoke = (cb) => inner.onRevoke!(cb);
    if (inner.onAssign) this.onAssign = (cb) => inner.onAssign!(cb);
    if (inner.status) this.status = () => inner.status!();
    if (inner.lastContact) this.lastContact = () => inner.lastContact!();
  }

  async start(topic: string, handler: BatchHandler): Promise<void> {
    const worker = new Worker(new URL("./score-worker.js", import.meta.url));
    // Ready (lexicons loaded) before the first message is taken.
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
    worker.on("message", (r: ScoreReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      w?.resolve(r);
    });
    const fail = (err: Error) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on("error", (err) => fail(err));
    worker.on("exit", (code) => {
      if (!this.stopping) fail(new Error(`the scoring thread exited (${code})`));
    });
    this.worker = worker;
    await this.inner.start(topic, (batch) => this.take(batch, handler));
  }

  /** Resolves once the batch is scored and handed to the runtime (not once the runtime has handled it). */
  private async take(batch: readonly Delivery[], handler: BatchHandler): Promise<void> {
    const texts: string[] = [];
    for (const d of batch) {
      const decoded = decodeNow(d.value);
      decodedAhead.set(d.value, decoded);
      if (decoded.ok) textsOf(decoded.value, texts);
    }
    const scoring = texts.length > 0 ? this.score(texts) : undefined;
    // The batch before must be handled first (batches reach the runtime in order, one at a time).
    const [reply] = await Promise.all([scoring, this.handled]);
    if (reply) {
      const { cleaned, tokens, scores } = reply;
      for (let i = 0; i < texts.length; i++) {
        const compound = scores[4 * i]!;
        scoredAhead.set(texts[i]!, {
          cleaned: cleaned[i]!,
          tokenCount: tokens[i]!,
          sentiment: {
            compound,
            pos: scores[4 * i + 1]!,
            neu: scores[4 * i + 2]!,
            neg: scores[4 * i + 3]!,
            label: labelForScore(compound),
          },
        });
      }
    }
    this.handled = handler(batch).finally(() => {
      for (const t of texts) scoredAhead.delete(t);
    });
  }

  private score(texts: readonly string[]): Promise<ScoreReply> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error("the scoring thread is not running"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, texts });
    });
  }

  commit(points: readonly CommitPoint[]): Promise<void> {
    return this.inner.commit(points);
  }

  pause(): void {
    this.inner.pause();
  }

  resume(): void {
    this.inner.resume();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    try {
      await this.inner.stop();
      await this.handled;
    } finally {
      const worker = this.worker;
      this.worker = undefined;
      await worker?.terminate();
    }
  }
}

/** The texts of a response's tweets (the model validates them; scoring more than it keeps is harmless). */
function textsOf(response: unknown, out: string[]): void {
  if (typeof response !== "object" || response === null) return;
  const data = (response as { data?: unknown }).data;
  if (!Array.isArray(data)) return;
  for (const t of data) {
    const text = typeof t === "object" && t !== null ? (t as { text?: unknown }).text : undefined;
    if (typeof text === "string") out.push(text);
  }
}
