#!/usr/bin/python3
"""The reference analyser for the sentiment agreement table: Python vaderSentiment 3.3.2.

Reads a JSON list of texts on stdin and prints a JSON list of [compound, pos, neu, neg]
(as polarity_scores returns them: compound rounded to 4 places, the others to 3), one per
text, in order. --site names the folder vaderSentiment was installed into with
`pip install --target` (scripts/test-prereqs.sh puts it under ~/.cache/cryptostream).
Exits 2 with one line when the package is missing or is another version.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", help="folder holding the vaderSentiment package (pip install --target)")
    args = ap.parse_args()
    if args.site:
        sys.path.insert(0, args.site)
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as e:
        print(f"vader_reference: vaderSentiment is not installed ({e}); run scripts/test-prereqs.sh", file=sys.stderr)
        return 2
    from importlib.metadata import PackageNotFoundError, distribution
    try:
        found = distribution("vaderSentiment").version  # sys.path holds --site first
    except PackageNotFoundError:
        found = None
    if found != "3.3.2":
        print(f"vader_reference: vaderSentiment {found} found, 3.3.2 expected", file=sys.stderr)
        return 2
    texts = json.load(sys.stdin)
    analyzer = SentimentIntensityAnalyzer()
    out = []
    for t in texts:
        s = analyzer.polarity_scores(t)
        out.append([s["compound"], s["pos"], s["neu"], s["neg"]])
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
