/** Start-up over Kafka: reads what resumeState needs from the file (see resume-state.ts). */
import type { H5Dataset } from "@cryptostream/common/hdf5/h5";
import { readColumns, withFile } from "@cryptostream/common/hdf5/reader";
import { SENTIMENT_PATH } from "../sink/sentiment-table.js";
import { TWEETS_PATH } from "../sink/tweet-table.js";
import { readMembers } from "@cryptostream/common/hdf5/read-members";
import { resumeState, type ResumeState, type SentimentRowInfo, type TweetRowInfo } from "./resume-state.js";

/**
 * `tailRows` bounds how many of the newest /tweets rows are scanned (the
 * dedupe capacity): tweets of windows still open are among the newest rows.
 */
export async function loadResumeState(filePath: string, tailRows: number): Promise<ResumeState> {
  const state = await withFile(filePath, (file) => {
    const s = readColumns(file, SENTIMENT_PATH, ["window_start", "window_end", "count", "complete"]);
    const sentiment: SentimentRowInfo[] = s.get("window_start")!.map((ws, i) => ({
      windowStart: Number(ws),
      windowEnd: Number(s.get("window_end")![i]),
      count: Number(s.get("count")![i]),
      complete: Number(s.get("complete")![i]) === 1,
    }));
    const tweets: TweetRowInfo[] = [];
    const ds = file.get(TWEETS_PATH) as H5Dataset | null;
    if (ds !== null) {
      const n = ds.shape?.[0] ?? 0;
      const members = [
        { name: "id", kind: "string" },
        { name: "window_start", kind: "int" },
        { name: "in_sentiment", kind: "int" },
      ] as const;
      readMembers(file, ds, members, Math.max(0, n - tailRows), n, ([id, ws, ins]) =>
        tweets.push({ id: id as string, windowStart: ws as number, inSentiment: ins === 1 }),
      );
    }
    return resumeState(sentiment, tweets);
  });
  return state ?? { closedBefore: undefined, accounted: new Map() };
}
