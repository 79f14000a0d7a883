// The sentiment agreement table: node bench/sentiment-agreement.mjs [--json]
// Scores every evaluation set (the human-rated snippets in vaderSentiment 3.3.2's source
// archive, npm sentiment@5.0.2's labelled fixtures, our crypto posts) with the
// twitter-processor's analyser, with the Python reference (vaderSentiment 3.3.2) and with
// the former AFINN scorer, side by side: 3-class accuracy, macro-F1, Pearson's r with the
// mean human rating. Fetches the data on first use (npm, PyPI) into
// ~/.cache/cryptostream/sentiment-eval; the reference is installed by scripts/test-prereqs.sh.
// Needs `npm run build` first. The README's table is this script's output.
const evalDir = "../services/twitter-processor/test/dist/sentiment-eval";
const { loadEvalSets } = await import(`${evalDir}/eval-sets.js`);
const { agreementRow, markdownTable } = await import(`${evalDir}/agreement.js`);

const rows = loadEvalSets().map((set) => agreementRow(set));
if (process.argv.includes("--json")) console.log(JSON.stringify(rows, null, 2));
else console.log(markdownTable(rows));
