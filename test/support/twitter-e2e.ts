/** Shared pieces of the Twitter end-to-end tests: the query, awkward texts, service processes. */
import type { RunningTwitterSimulator } from "@cryptostream/twitter-simulator/simulator";
import { parseQuery } from "@cryptostream/twitter-simulator/query/parse";
import { matchesQuery } from "@cryptostream/twitter-simulator/query/match";
import { ServiceProcess, waitFor } from "./service-process.js";

/** Broad on purpose (no lang: filter) so Japanese, Chinese, Arabic... texts come through too. */
export const E2E_QUERY =
  "-is:retweet (btc OR bitcoin OR eth OR ethereum OR sol OR solana OR doge OR dogecoin OR crypto OR ada OR xrp OR bnb)";

/**
 * Texts that stress the fixed-width fields (1120 bytes) and the overflow heap:
 * all contain "bitcoin" so the query serves them.
 */
export const AWKWARD_TEXTS: ReadonlyArray<{ text: string; lang?: string }> = [
  { text: "bitcoin " + "to the moon 🚀 and beyond, ".repeat(80) }, // ~2.4 kB: far over the width
  { text: "bitcoin " + "👨‍👩‍👧‍👦".repeat(50) }, // ZWJ sequences, 1258 bytes
  { text: "bitcoin " + "é".repeat(556) }, // exactly 1120 bytes: fits
  { text: "bitcoin a" + "é".repeat(556) }, // 1121 bytes: the cut must not split the last é
  { text: "bitcoin 比特币今天又涨了，大家怎么看？ビットコイン最高！", lang: "zh" },
  { text: "bitcoin ends with a NUL\u0000" },
  { text: "bitcoin has a NUL\u0000 in the middle" },
  { text: "bitcoin with trailing spaces   " },
  { text: "bitcoin &amp; friends &lt;3 — “quotes” ‘too’ ✓ ﷽" },
];

export function addAwkwardTweets(
  sim: RunningTwitterSimulator,
  which: ReadonlyArray<{ text: string; lang?: string }> = AWKWARD_TEXTS,
): void {
  for (const t of which) sim.addTweet({ text: t.text, lang: t.lang ?? "en" });
}

/** Ids of the tweets the simulator holds that match the query (what the producer must eventually fetch). */
export function matchingIds(sim: RunningTwitterSimulator, query = E2E_QUERY): string[] {
  const node = parseQuery(query);
  return sim
    .tweets()
    .filter((t) =>
      matchesQuery(node, {
        text: t.text,
        lang: t.lang,
        isRetweet: t.is_retweet,
        isReply: t.is_reply,
        authorUsername: t.username,
        authorId: t.author_id,
        conversationId: t.id,
      }),
    )
    .map((t) => t.id);
}

export function startTwitterProducer(
  apiUrl: string,
  bind: string,
  statePath: string,
  extra: Record<string, string> = {},
): ServiceProcess {
  return new ServiceProcess("twitter-producer", {
    TWITTER_API_URL: apiUrl,
    TWITTER_BEARER_TOKEN: "sim-token",
    TWITTER_QUERY: E2E_QUERY,
    TWITTER_POLL_SECONDS: "0.4",
    TWITTER_BACKOFF_CAP_SECONDS: "0.5",
    TWITTER_AUTH_RETRY_SECONDS: "0.5",
    TWITTER_STATE_PATH: statePath,
    ZMQ_BIND: bind,
    ...extra,
  });
}

export function startTwitterProcessor(connect: string, h5: string, extra: Record<string, string> = {}): ServiceProcess {
  return new ServiceProcess("twitter-processor", {
    ZMQ_CONNECT: connect,
    TWITTER_H5_PATH: h5,
    WINDOW_SECONDS: "10",
    ALLOWED_LATENESS_SECONDS: "2",
    ...extra,
  });
}

/** Waits until every tweet the simulator holds that matches the query has been served. */
export async function allMatchingServed(sim: RunningTwitterSimulator, timeoutMs = 40_000): Promise<void> {
  await waitFor(
    "every matching tweet to be served",
    () => {
      const served = new Set(sim.served().map((t) => t.id));
      return matchingIds(sim).every((id) => served.has(id)) || undefined;
    },
    timeoutMs,
  );
}

/** Waits until a twitter-producer has published its first poll (from then on it polls with since_id). */
export async function firstPollPublished(producer: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  await producer.waitForLog((l) => l.msg === "poll published", timeoutMs);
}

/** Waits until the processor has written at least `n` rows (pipeline_messages_out_total). */
export async function processorWrote(processor: ServiceProcess, n: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `the processor to write ${n} tweets`,
    async () => ((await processor.metric("pipeline_messages_out_total")) >= n ? true : undefined),
    timeoutMs,
  );
}
