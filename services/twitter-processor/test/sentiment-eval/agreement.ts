/**
 * The sentiment agreement table: every evaluation set scored by our analyser,
 * by the Python reference (vaderSentiment 3.3.2) and by the former AFINN
 * scorer, with 3-class accuracy, macro-F1 and, where people gave a mean
 * rating, Pearson's r of the score with it.
 */
import { labelForScore, scoreSentiment, type SentimentLabel } from "@cryptostream/twitter-processor/text/sentiment";
import { afinnSentiment } from "../text/afinn-scorer.js";
import type { EvalSet } from "./eval-sets.js";
import type { Polarity } from "@cryptostream/twitter-processor/text/vader/analyzer";
import { accuracy, macroF1, pearson } from "./metrics.js";
import { referenceScores } from "./reference.js";

export const SCORERS = ["ours", "python-vader", "afinn"] as const;
export type ScorerName = (typeof SCORERS)[number];

export interface Figures {
  readonly accuracy: number;
  readonly macroF1: number;
  /** Pearson's r of the score with the mean human rating; undefined without ratings. */
  readonly pearson: number | undefined;
}

export interface SetRow {
  readonly set: string;
  readonly source: string;
  readonly texts: number;
  readonly figures: Record<ScorerName, Figures>;
}

function figures(set: EvalSet, scores: readonly number[], labels: readonly SentimentLabel[]): Figures {
  const gold = set.items.map((i) => i.label);
  const rated = set.items.every((i) => i.human !== undefined);
  return {
    accuracy: accuracy(gold, labels),
    macroF1: macroF1(gold, labels),
    pearson: rated
      ? pearson(
          scores,
          set.items.map((i) => i.human!),
        )
      : undefined,
  };
}

/** One line of the table; `ref` is the Python reference's scores of the set's texts (run here when not given). */
export function agreementRow(
  set: EvalSet,
  ref: readonly Polarity[] = referenceScores(set.items.map((i) => i.text)),
): SetRow {
  const texts = set.items.map((i) => i.text);
  const ours = texts.map(scoreSentiment);
  const afinn = texts.map(afinnSentiment);
  return {
    set: set.name,
    source: set.source,
    texts: texts.length,
    figures: {
      ours: figures(
        set,
        ours.map((s) => s.compound),
        ours.map((s) => s.label),
      ),
      "python-vader": figures(
        set,
        ref.map((s) => s.compound),
        ref.map((s) => labelForScore(s.compound)),
      ),
      afinn: figures(
        set,
        afinn.map((s) => s.score),
        afinn.map((s) => s.label),
      ),
    },
  };
}

const pct = (x: number): string => (x * 100).toFixed(1);
const r3 = (x: number | undefined): string => (x === undefined ? "—" : x.toFixed(3));

/** The table as Markdown: one line per set, ours | Python VADER | AFINN for each figure. */
export function markdownTable(rows: readonly SetRow[]): string {
  const head =
    "| set | texts | accuracy % (ours / Python VADER / AFINN) | macro-F1 (ours / Python VADER / AFINN) | Pearson r with human mean (ours / Python VADER / AFINN) |";
  const lines = rows.map((r) => {
    const f = SCORERS.map((s) => r.figures[s]);
    return `| ${r.set} | ${r.texts} | ${f.map((x) => pct(x.accuracy)).join(" / ")} | ${f
      .map((x) => x.macroF1.toFixed(3))
      .join(" / ")} | ${f.map((x) => r3(x.pearson)).join(" / ")} |`;
  });
  return [head, "| --- | ---: | ---: | ---: | ---: |", ...lines].join("\n");
}
