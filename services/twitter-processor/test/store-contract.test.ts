/** The store contract (testkit) on the twitter-processor: tweets across midnight UTC, /sentiment read back. */
import type { Consumer } from "@cryptostream/common";
import { pickleCodec } from "@cryptostream/common/codecs/pickle/index";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { storeContract } from "@cryptostream/testkit";
import { SENTIMENT_PATH } from "@cryptostream/twitter-processor/sink/sentiment-table";
import { specTwitterProcessor } from "./spec-processor.js";

const id = (offset: number) => String(1_790_000_000_000_000_000n + BigInt(offset));

storeContract("twitter-processor", {
  windowMs: 10_000,
  latenessMs: 2_000,
  async make(file: string, consumer: Consumer, now: () => number) {
    const { p } = specTwitterProcessor(file, consumer, now);
    await p.start();
    return p;
  },
  event(time: number, offset: number) {
    const tweet = {
      id: id(offset),
      text: offset % 2 ? "what a great day" : "this is awful",
      created_at: new Date(time).toISOString(),
      author_id: "2244994945",
      lang: "en",
      edit_history_tweet_ids: [id(offset)],
    };
    const value = pickleCodec.encode({ data: [tweet], meta: { result_count: 1, newest_id: tweet.id } });
    return { topic: "twitter", key: undefined, value, partition: 0, offset: String(offset) };
  },
  async counts(files: readonly string[]) {
    const out = new Map<number, number>();
    for (const file of files)
      await withFile(file, (f) => {
        const cols = readColumns(f, SENTIMENT_PATH, ["window_start", "count"]);
        cols.get("window_start")!.forEach((w, i) => {
          const start = Number(w);
          out.set(start, (out.get(start) ?? 0) + Number(cols.get("count")![i]));
        });
      });
    return out;
  },
});
