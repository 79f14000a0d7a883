/**
 * The synthetic Jetstream: a seeded sequence of events of every kind the
 * protocol has (posts created, updated and deleted; likes, reposts and
 * follows; identity and account events), each with its ground truth. Pure
 * apart from the times it is handed.
 */
import { CORPUS } from "./corpus.js";
import {
  type AccountFrame,
  type CommitFrame,
  type IdentityFrame,
  type JetstreamFrame,
  POST_COLLECTION,
} from "./frames.js";
import { makeCid, makeDid, makeTid } from "./ids.js";
import { createRng, type Rng } from "./rng.js";

export type EventKind = "post" | "post_update" | "post_delete" | "like" | "repost" | "follow" | "identity" | "account";

/** One event as the simulator holds it: the frame, its exact text, and what it means. */
export interface HeldEvent {
  /** Position in the stream, from 1. */
  readonly seq: number;
  readonly timeUs: number;
  readonly kind: EventKind;
  readonly frame: JetstreamFrame;
  /** The text frame sent to clients. */
  readonly json: string;
  /** Posts and updates: whether the text mentions the default crypto terms. */
  readonly crypto?: boolean;
}

export interface PostRef {
  readonly did: string;
  readonly rkey: string;
}

export interface CustomPost {
  readonly text: string;
  readonly langs?: readonly string[];
  readonly did?: string;
  /** Defaults to the event time; "" leaves createdAt out of the record. */
  readonly createdAt?: string;
  /** Ground truth to report; unknown when not given. */
  readonly crypto?: boolean;
}

const KINDS: ReadonlyArray<[EventKind, number]> = [
  ["post", 0.5],
  ["post_update", 0.05],
  ["post_delete", 0.07],
  ["like", 0.15],
  ["repost", 0.07],
  ["follow", 0.06],
  ["identity", 0.05],
  ["account", 0.05],
];

const AUTHORS = 60;
/** Posts remembered as targets of updates, deletes, likes and reposts. */
const RECENT_POSTS = 500;

const iso = (timeUs: number): string => new Date(Math.floor(timeUs / 1000)).toISOString();

export class EventGenerator {
  private readonly rng: Rng;
  private readonly authors: string[];
  private readonly recent: Array<PostRef & { cid: string; text: string; crypto?: boolean }> = [];
  private seq = 0;
  private repoSeq = 1_000_000;

  constructor(seed: string | number) {
    this.rng = createRng(seed);
    this.authors = Array.from({ length: AUTHORS }, () => makeDid(this.rng));
  }

  /** The next seeded event, at `timeUs`. */
  next(timeUs: number): HeldEvent {
    let r = this.rng.next();
    let kind: EventKind = "post";
    for (const [k, p] of KINDS) {
      if (r < p) {
        kind = k;
        break;
      }
      r -= p;
    }
    // Updates, deletes, likes and reposts need an earlier post.
    if (this.recent.length === 0 && kind !== "follow" && kind !== "identity" && kind !== "account") kind = "post";
    const did = this.rng.pick(this.authors);
    switch (kind) {
      case "post": {
        const c = this.rng.pick(CORPUS);
        const r2 = this.rng.next();
        // Most clients write ms and Z; some write an offset; a few records lack createdAt.
        const createdAtUs = timeUs - this.rng.int(2_000_000);
        const createdAt =
          r2 < 0.02 ? "" : r2 < 0.06 ? iso(createdAtUs).replace(/\.\d{3}Z$/, "+00:00") : iso(createdAtUs);
        return this.post(timeUs, { did, text: c.text, langs: c.langs, createdAt, crypto: c.crypto });
      }
      case "post_update": {
        const p = this.rng.pick(this.recent);
        const text = `${p.text} (edited)`;
        return this.hold(
          timeUs,
          "post_update",
          this.commit(timeUs, p.did, "update", POST_COLLECTION, p.rkey, {
            $type: POST_COLLECTION,
            text,
            createdAt: iso(timeUs),
          }),
          p.crypto,
        );
      }
      case "post_delete": {
        const i = this.rng.int(this.recent.length);
        const p = this.recent[i]!;
        this.recent.splice(i, 1);
        return this.deletePost(timeUs, p);
      }
      case "like":
      case "repost": {
        const p = this.rng.pick(this.recent);
        const collection = kind === "like" ? "app.bsky.feed.like" : "app.bsky.feed.repost";
        const record = {
          $type: collection,
          subject: { uri: `at://${p.did}/${POST_COLLECTION}/${p.rkey}`, cid: p.cid },
          createdAt: iso(timeUs),
        };
        return this.hold(timeUs, kind, this.commit(timeUs, did, "create", collection, this.tid(timeUs), record));
      }
      case "follow": {
        const record = { $type: "app.bsky.graph.follow", subject: this.rng.pick(this.authors), createdAt: iso(timeUs) };
        return this.hold(
          timeUs,
          kind,
          this.commit(timeUs, did, "create", "app.bsky.graph.follow", this.tid(timeUs), record),
        );
      }
      case "identity": {
        const frame: IdentityFrame = {
          did,
          time_us: timeUs,
          kind: "identity",
          identity: {
            did,
            handle: `user${this.authors.indexOf(did)}.bsky.social`,
            seq: this.repoSeq++,
            time: iso(timeUs),
          },
        };
        return this.hold(timeUs, kind, frame);
      }
      case "account": {
        const active = this.rng.next() < 0.7;
        const frame: AccountFrame = {
          did,
          time_us: timeUs,
          kind: "account",
          account: {
            active,
            did,
            seq: this.repoSeq++,
            time: iso(timeUs),
            ...(active ? {} : { status: this.rng.pick(["deactivated", "takendown", "suspended"]) }),
          },
        };
        return this.hold(timeUs, kind, frame);
      }
    }
  }

  /** A post created at `timeUs` with the given text. */
  post(timeUs: number, p: CustomPost): HeldEvent {
    const did = p.did ?? this.rng.pick(this.authors);
    const rkey = this.tid(timeUs);
    const record: Record<string, unknown> = { $type: POST_COLLECTION, text: p.text };
    const createdAt = p.createdAt ?? iso(timeUs);
    if (createdAt !== "") record.createdAt = createdAt;
    if (p.langs === undefined || p.langs.length > 0) record.langs = [...(p.langs ?? ["en"])];
    const frame = this.commit(timeUs, did, "create", POST_COLLECTION, rkey, record);
    this.recent.push({ did, rkey, cid: frame.commit.cid!, text: p.text, crypto: p.crypto });
    if (this.recent.length > RECENT_POSTS) this.recent.shift();
    return this.hold(timeUs, "post", frame, p.crypto);
  }

  /** A delete of the post `ref` at `timeUs` (no record, no cid: as Jetstream sends them). */
  deletePost(timeUs: number, ref: PostRef): HeldEvent {
    const i = this.recent.findIndex((p) => p.did === ref.did && p.rkey === ref.rkey);
    if (i >= 0) this.recent.splice(i, 1);
    return this.hold(timeUs, "post_delete", this.commit(timeUs, ref.did, "delete", POST_COLLECTION, ref.rkey));
  }

  private tid(timeUs: number): string {
    return makeTid(timeUs - this.rng.int(1_000_000), this.rng.int(1024));
  }

  private commit(
    timeUs: number,
    did: string,
    operation: "create" | "update" | "delete",
    collection: string,
    rkey: string,
    record?: Record<string, unknown>,
  ): CommitFrame {
    const rev = makeTid(timeUs, this.rng.int(1024));
    return {
      did,
      time_us: timeUs,
      kind: "commit",
      commit:
        operation === "delete"
          ? { rev, operation, collection, rkey }
          : { rev, operation, collection, rkey, record, cid: makeCid(this.rng) },
    };
  }

  private hold(timeUs: number, kind: EventKind, frame: JetstreamFrame, crypto?: boolean): HeldEvent {
    this.seq += 1;
    return {
      seq: this.seq,
      timeUs,
      kind,
      frame,
      json: JSON.stringify(frame),
      ...(crypto === undefined ? {} : { crypto }),
    };
  }
}
