/**
 * Recomputes the sentiment agreement table of the README (bench/sentiment-agreement.mjs
 * prints it) and holds the analyser to it: on every set at least the Python reference's
 * accuracy, macro-F1 and Pearson r, and better on the crypto set. Needs the data (fetched
 * with npm and pip into ~/.cache/cryptostream/sentiment-eval) and the reference
 * (scripts/test-prereqs.sh installs vaderSentiment 3.3.2); fails, never skips, without them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadEmojiLexicon, loadVaderLexicon } from "@cryptostream/twitter-processor/text/lexicon-files";
import { SentimentIntensityAnalyzer } from "@cryptostream/twitter-processor/text/vader/analyzer";
import { agreementRow, markdownTable, type Figures, type SetRow } from "./sentiment-eval/agreement.js";
import { type EvalSet, loadEvalSets } from "./sentiment-eval/eval-sets.js";
import { referenceScores } from "./sentiment-eval/reference.js";

const CRYPTO = "crypto posts (ours)";
let sets: EvalSet[] = [];
const rows: SetRow[] = [];

test("the evaluation data can be fetched (npm sentiment@5.0.2, PyPI vadersentiment 3.3.2 sdist)", () => {
  sets = loadEvalSets();
  assert.deepEqual(
    sets.map((s) => s.items.length),
    [4200, 10605, 3708, 5190, 1000, 1000, 1000, sets.at(-1)!.items.length],
  );
});

test("the port in reference mode scores every text exactly as Python vaderSentiment 3.3.2", () => {
  assert.ok(sets.length > 0, "no data: see the first test");
  const port = new SentimentIntensityAnalyzer(loadVaderLexicon(), loadEmojiLexicon(), { reference: true });
  let texts = 0;
  for (const set of sets) {
    const ref = referenceScores(set.items.map((i) => i.text));
    const differ = set.items.filter((item, k) => {
      const p = port.polarityScores(item.text);
      const r = ref[k]!;
      return p.compound !== r.compound || p.pos !== r.pos || p.neu !== r.neu || p.neg !== r.neg;
    });
    assert.deepEqual(differ.slice(0, 3), [], `${set.name}: ${differ.length} texts scored differently`);
    texts += set.items.length;
    rows.push(agreementRow(set, ref));
  }
  console.log(`${texts} texts, identical scores`);
});

test("on every set our analyser agrees with people at least as well as Python VADER, and better on crypto posts", () => {
  assert.equal(rows.length, sets.length, "no table: see the tests above");
  console.log(markdownTable(rows));
  const worse: string[] = [];
  for (const r of rows) {
    const ours = r.figures.ours;
    const ref = r.figures["python-vader"];
    for (const k of ["accuracy", "macroF1", "pearson"] as const satisfies readonly (keyof Figures)[]) {
      if (ours[k] === undefined || ref[k] === undefined) continue;
      if (r.set === CRYPTO ? !(ours[k] > ref[k]) : ours[k] < ref[k])
        worse.push(`${r.set}: ${k} ${ours[k].toFixed(4)} vs Python VADER ${ref[k].toFixed(4)}`);
    }
    assert.ok(ours.accuracy > r.figures.afinn.accuracy, `${r.set}: not better than the former AFINN scorer`);
  }
  assert.deepEqual(worse, [], `our analyser falls behind the reference:\n${worse.join("\n")}`);
  assert.ok(rows.some((r) => r.set === CRYPTO));
});
