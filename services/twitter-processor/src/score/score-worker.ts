/**
 * The scoring thread (worker_threads): preprocessing and VADER for the texts the main
 * thread sends, with the very code the main thread would run (scoreNow), so the results
 * are the same numbers. One request at a time, answered in order.
 */
import { parentPort } from "node:worker_threads";
import { scoreNow } from "../tweets/tweet-row.js";
import type { ScoreReply, ScoreRequest } from "./scored-batch.js";

const port = parentPort!;
port.on("message", (req: ScoreRequest) => {
  const n = req.texts.length;
  const cleaned = new Array<string>(n);
  const tokens = new Int32Array(n);
  const scores = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const s = scoreNow(req.texts[i]!);
    cleaned[i] = s.cleaned;
    tokens[i] = s.tokenCount;
    scores[4 * i] = s.sentiment.compound;
    scores[4 * i + 1] = s.sentiment.pos;
    scores[4 * i + 2] = s.sentiment.neu;
    scores[4 * i + 3] = s.sentiment.neg;
  }
  const reply: ScoreReply = { id: req.id, cleaned, tokens, scores };
  port.postMessage(reply, [tokens.buffer, scores.buffer]);
});
// Loaded (lexicons read, natural required): ready for requests.
port.postMessage("ready");
