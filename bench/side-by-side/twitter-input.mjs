// The twitter comparison's input: pickled search responses of 100 tweets each (as the
// API pages them, as the twitter-producer publishes them), written once to a file of
// length-prefixed records (uint32 LE length, then the pickle) that both contenders read.
// Needs `npm run build` (the synthetic texts come from the compiled test helpers).
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../../scripts/lib/service-process.mjs";

const dist = (p) => path.join(ROOT, "services", p);

export async function writeTwitterInput(file, { tweets, perResponse = 100 }) {
  const { pickleCodec } = await import(dist("common/dist/codecs/pickle/index.js"));
  const { makeSyntheticTweets } = await import(dist("twitter-processor/test/dist/text/synthetic-tweets.js"));
  // Texts of mixed length (60-280 chars), emoji and non-Latin words included.
  const lengths = [60, 120, 200, 280];
  const texts = lengths
    .flatMap((len, i) => makeSyntheticTweets(Math.ceil(tweets / lengths.length), len, 42 + i))
    .slice(0, tweets);
  const t0 = Date.UTC(2024, 4, 1);
  const baseId = 1_790_000_000_000_000_000n;
  const out = fs.openSync(file, "w");
  for (let start = 0; start < tweets; start += perResponse) {
    const data = [];
    for (let i = Math.min(tweets, start + perResponse) - 1; i >= start; i--) {
      const id = String(baseId + BigInt(i));
      const created_at = new Date(t0 + i * 20).toISOString();
      data.push({ id, text: texts[i], created_at, author_id: "2244994945", lang: "en", edit_history_tweet_ids: [id] });
    }
    const meta = { result_count: data.length, newest_id: data[0].id, oldest_id: data.at(-1).id };
    const body = pickleCodec.encode({ data, meta });
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    fs.writeSync(out, head);
    fs.writeSync(out, body);
  }
  fs.closeSync(out);
  return { t0 };
}

/** The records of a file written by writeTwitterInput. */
export function readTwitterInput(file) {
  const all = fs.readFileSync(file);
  const out = [];
  for (let at = 0; at < all.length; ) {
    const len = all.readUInt32LE(at);
    out.push(all.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}
