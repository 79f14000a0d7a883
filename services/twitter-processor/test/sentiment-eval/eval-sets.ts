/**
 * The labelled texts the sentiment agreement table is measured on, none of
 * them written by this team except the crypto set:
 *
 *   - Hutto & Gilbert (2014), in vaderSentiment 3.3.2's source archive on PyPI
 *     (additional_resources/hutto_ICWSM_2014.tar.gz): tweets, movie review,
 *     Amazon review and NYT editorial snippets, each with the mean of 20+
 *     people's ratings on -4..4;
 *   - npm sentiment@5.0.2's test fixtures (amazon, imdb, yelp): sentences
 *     labelled positive (1) or negative (0);
 *   - test/fixtures/crypto-posts.tsv: crypto posts labelled by the team.
 *
 * The archives are fetched with npm and pip into a cache folder
 * (SENTIMENT_EVAL_CACHE_DIR, default ~/.cache/cryptostream/sentiment-eval) on
 * first use; a failure throws an error that says what could not be fetched.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { labelForScore, type SentimentLabel } from "@cryptostream/twitter-processor/text/sentiment";

export interface EvalItem {
  readonly text: string;
  readonly label: SentimentLabel;
  /** Mean human rating on -4..4, where the set has one. */
  readonly human?: number;
}

export interface EvalSet {
  readonly name: string;
  readonly source: string;
  readonly items: readonly EvalItem[];
}

export const SENTIMENT_NPM = "sentiment@5.0.2";
export const VADER_PYPI = "vadersentiment==3.3.2";
/** sha256 of vaderSentiment-3.3.2.tar.gz as PyPI serves it. */
const VADER_SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9";

/** Human scale: mean ratings lie in [-4, 4]. */
export const HUMAN_SCALE = 4;

/**
 * A mean rating's label: the rating scaled to [-1, 1] against the cut-offs
 * of compound (±0.05), so positive above +0.2, negative below -0.2.
 */
export function labelForHumanMean(mean: number): SentimentLabel {
  return labelForScore(mean / HUMAN_SCALE);
}

export function cacheDir(): string {
  return process.env.SENTIMENT_EVAL_CACHE_DIR ?? path.join(os.homedir(), ".cache", "cryptostream", "sentiment-eval");
}

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

function run(cmd: string, args: string[], what: string): void {
  try {
    execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const detail = (e.stderr?.toString() ?? "").trim().split("\n").slice(-3).join(" | ") || e.message;
    throw new Error(`cannot fetch ${what}: \`${cmd} ${args.join(" ")}\` failed: ${detail}`);
  }
}

/** npm sentiment@5.0.2's fixtures folder, fetched with `npm pack` once. */
function sentimentFixtures(): string {
  const dir = path.join(cacheDir(), "sentiment-5.0.2");
  const fixtures = path.join(dir, "package", "test", "fixtures");
  if (fs.existsSync(path.join(fixtures, "yelp.json"))) return fixtures;
  fs.mkdirSync(dir, { recursive: true });
  run("npm", ["pack", SENTIMENT_NPM, "--pack-destination", dir, "--silent"], `npm ${SENTIMENT_NPM}`);
  run("tar", ["-xzf", path.join(dir, "sentiment-5.0.2.tgz"), "-C", dir, "package/test/fixtures"], SENTIMENT_NPM);
  return fixtures;
}

/** The unpacked hutto_ICWSM_2014 folder of vaderSentiment 3.3.2's sdist, fetched with pip once. */
function huttoFolder(): string {
  const dir = path.join(cacheDir(), "vadersentiment-3.3.2-sdist");
  const hutto = path.join(dir, "hutto_ICWSM_2014");
  if (fs.existsSync(path.join(hutto, "tweets_GroundTruth.txt"))) return hutto;
  fs.mkdirSync(dir, { recursive: true });
  const sdist = path.join(dir, "vaderSentiment-3.3.2.tar.gz");
  if (!fs.existsSync(sdist))
    run(
      "python3",
      ["-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", VADER_PYPI, "-d", dir],
      `the ${VADER_PYPI} source archive from PyPI`,
    );
  const sha = createHash("sha256").update(fs.readFileSync(sdist)).digest("hex");
  if (sha !== VADER_SDIST_SHA256) throw new Error(`${sdist}: sha256 ${sha}, expected ${VADER_SDIST_SHA256}`);
  const inner = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz";
  run("tar", ["-xzf", sdist, "-C", dir, inner], "the Hutto 2014 data");
  run("tar", ["-xzf", path.join(dir, inner), "-C", dir], "the Hutto 2014 data");
  return hutto;
}

function huttoSet(folder: string, file: string, name: string): EvalSet {
  const items = fs
    .readFileSync(path.join(folder, file), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const [, mean, ...text] = line.split("\t");
      const human = Number(mean);
      if (!Number.isFinite(human)) throw new Error(`${file}: bad line ${JSON.stringify(line.slice(0, 60))}`);
      return { text: text.join("\t"), label: labelForHumanMean(human), human };
    });
  return { name, source: `${VADER_PYPI} sdist, hutto_ICWSM_2014/${file}`, items };
}

function sentimentSet(folder: string, file: string, name: string): EvalSet {
  const rows = JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")) as Array<{
    text: string;
    class: 0 | 1 | null;
  }>;
  // Each file ends with an empty, unlabelled item.
  const items = rows
    .filter((r) => r.class === 0 || r.class === 1)
    .map((r) => ({ text: r.text, label: r.class === 1 ? ("positive" as const) : ("negative" as const) }));
  return { name, source: `npm ${SENTIMENT_NPM}, test/fixtures/${file}`, items };
}

/** test/fixtures/crypto-posts.tsv: `label TAB text`, a header line first. */
export function cryptoSet(): EvalSet {
  const file = path.join(FIXTURES, "crypto-posts.tsv");
  const [header, ...lines] = fs.readFileSync(file, "utf8").split("\n");
  if (header !== "label\ttext") throw new Error(`${file}: header must be "label<TAB>text"`);
  const items = lines
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const tab = line.indexOf("\t");
      const label = line.slice(0, tab);
      if (label !== "positive" && label !== "neutral" && label !== "negative")
        throw new Error(`${file}: bad label in ${JSON.stringify(line)}`);
      return { label: label as SentimentLabel, text: line.slice(tab + 1) };
    });
  return { name: "crypto posts (ours)", source: "services/twitter-processor/test/fixtures/crypto-posts.tsv", items };
}

/** Every set of the table, fetching what is not cached yet. */
export function loadEvalSets(): EvalSet[] {
  const hutto = huttoFolder();
  const fixtures = sentimentFixtures();
  return [
    huttoSet(hutto, "tweets_GroundTruth.txt", "tweets (Hutto 2014)"),
    huttoSet(hutto, "movieReviewSnippets_GroundTruth.txt", "movie reviews (Hutto 2014)"),
    huttoSet(hutto, "amazonReviewSnippets_GroundTruth.txt", "Amazon reviews (Hutto 2014)"),
    huttoSet(hutto, "nytEditorialSnippets_GroundTruth.txt", "NYT editorials (Hutto 2014)"),
    sentimentSet(fixtures, "amazon.json", "amazon (sentiment@5.0.2)"),
    sentimentSet(fixtures, "imdb.json", "imdb (sentiment@5.0.2)"),
    sentimentSet(fixtures, "yelp.json", "yelp (sentiment@5.0.2)"),
    cryptoSet(),
  ];
}
