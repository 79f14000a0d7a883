/** Test doubles for the pipeline: a transport that can fail or hang, a cursor store in memory, a feed switch. */
import { Registry, Rejections, silentLogger, standardMetrics } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import type { PipelineDeps, PipelineMetrics } from "@cryptostream/bluesky-producer/pipeline";
import type { CursorState } from "@cryptostream/bluesky-producer/state/cursor-store";

export interface Sent {
  source: string;
  data?: Array<Record<string, string>>;
  deletes?: Array<Record<string, string>>;
  meta?: Record<string, unknown>;
}

export class FakeDeps {
  readonly sent: Sent[] = [];
  readonly saves: CursorState[] = [];
  /** The next `failures` sends reject. */
  failures = 0;
  /** While set, sends wait for it. */
  gate: Promise<void> | undefined;
  pauses = 0;
  resumes = 0;
  readonly registry = new Registry();
  readonly metrics: PipelineMetrics;

  constructor() {
    const std = standardMetrics(this.registry);
    this.metrics = {
      std,
      rejections: new Rejections(std.rejects, silentLogger),
      posts: this.registry.counter("posts", "h"),
      frames: this.registry.counter("frames", "h"),
      deletesPublished: this.registry.counter("deletes", "h"),
      batches: this.registry.counter("batches", "h"),
      cursorLag: this.registry.gauge("lag", "h"),
      pending: this.registry.gauge("pending", "h"),
    };
  }

  deps(): PipelineDeps {
    return {
      encode: (body) => pickleCodec.encode(body),
      send: async (value) => {
        if (this.gate) await this.gate;
        if (this.failures > 0) {
          this.failures--;
          throw new Error("transport down");
        }
        this.sent.push(pickleCodec.decode(value) as Sent);
      },
      store: { save: async (s) => void this.saves.push(s) },
      feed: { pause: () => void this.pauses++, resume: () => void this.resumes++ },
      log: silentLogger,
      metrics: this.metrics,
    };
  }

  /** Every post id published, in order. */
  ids(): string[] {
    return this.sent.flatMap((s) => (s.data ?? []).map((d) => d.id!));
  }
}

let rk = 0;
export function postFrame(timeUs: number, text: string, o: { did?: string; rkey?: string; langs?: string[] } = {}) {
  const rkey = o.rkey ?? `rk${++rk}`;
  return {
    rkey,
    did: o.did ?? "did:plc:author",
    json: JSON.stringify({
      did: o.did ?? "did:plc:author",
      time_us: timeUs,
      kind: "commit",
      commit: {
        rev: "r",
        operation: "create",
        collection: "app.bsky.feed.post",
        rkey,
        record: {
          $type: "app.bsky.feed.post",
          text,
          createdAt: new Date(timeUs / 1000).toISOString(),
          langs: o.langs ?? ["en"],
        },
        cid: "bafyrei",
      },
    }),
  };
}

export function deleteFrame(timeUs: number, did: string, rkey: string): string {
  return JSON.stringify({
    did,
    time_us: timeUs,
    kind: "commit",
    commit: { rev: "r", operation: "delete", collection: "app.bsky.feed.post", rkey },
  });
}

export const likeFrame = (timeUs: number): string =>
  JSON.stringify({
    did: "did:plc:x",
    time_us: timeUs,
    kind: "commit",
    commit: { rev: "r", operation: "create", collection: "app.bsky.feed.like", rkey: "l", record: {}, cid: "c" },
  });

export async function until(what: string, cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
