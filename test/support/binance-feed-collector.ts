/**
 * The test side of the binance-producer's ZeroMQ PUSH socket: a PULL socket
 * that keeps every published message in arrival order, split into market
 * events and gap markers, for the binance-feed-* end-to-end specs.
 */
import * as zmq from "zeromq";
import type { ServiceProcess } from "./service-process.js";
import { sleep } from "./service-process.js";

export interface Published {
  readonly stream: string;
  readonly data: Record<string, unknown> & { e: string; s: string; E: number };
}

export interface GapMarkerSeen {
  readonly stream: string;
  readonly data: {
    e: "gap";
    E: number;
    s: string;
    stream: string;
    symbols: string[];
    from: number;
    to: number;
    cause: string;
    filled: boolean;
    missing: number | null;
  };
}

export async function collectPublished(endpoint: string) {
  const sock = new zmq.Pull();
  sock.connect(endpoint);
  const all: Published[] = [];
  void (async () => {
    try {
      for await (const frames of sock) for (const f of frames) all.push(JSON.parse(f.toString()) as Published);
    } catch {
      // closed
    }
  })();
  return {
    all,
    markers: () => all.filter((m) => m.data.e === "gap") as unknown as GapMarkerSeen[],
    events: (e: string) => all.filter((m) => m.data.e === e),
    close: () => sock.close(),
  };
}

/** Log records of a producer matching msg (and an optional predicate). */
export function logsOf(p: ServiceProcess, msg: string, pred: (l: Record<string, unknown>) => boolean = () => true) {
  return p.logs.filter((l) => l.msg === msg && pred(l));
}

/** Waits until `probe` holds, polling; throws with `what` on timeout. */
export async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
