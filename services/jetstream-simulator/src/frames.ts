/**
 * The JSON frames Jetstream sends on /subscribe (uncompressed), as read from
 * bluesky-social/jetstream: one object per websocket text message.
 */

export type Operation = "create" | "update" | "delete";

export interface CommitFrame {
  readonly did: string;
  readonly time_us: number;
  readonly kind: "commit";
  readonly commit: {
    readonly rev: string;
    readonly operation: Operation;
    readonly collection: string;
    readonly rkey: string;
    /** Absent on deletes. */
    readonly record?: Record<string, unknown>;
    /** Absent on deletes. */
    readonly cid?: string;
  };
}

export interface IdentityFrame {
  readonly did: string;
  readonly time_us: number;
  readonly kind: "identity";
  readonly identity: { readonly did: string; readonly handle: string; readonly seq: number; readonly time: string };
}

export interface AccountFrame {
  readonly did: string;
  readonly time_us: number;
  readonly kind: "account";
  readonly account: {
    readonly active: boolean;
    readonly did: string;
    readonly seq: number;
    readonly time: string;
    readonly status?: string;
  };
}

export type JetstreamFrame = CommitFrame | IdentityFrame | AccountFrame;

export const POST_COLLECTION = "app.bsky.feed.post";
