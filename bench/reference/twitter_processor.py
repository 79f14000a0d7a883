#!/usr/bin/python3
"""Reference twitter processor for the side-by-side benchmark, after the original Python design.

Each message is one pickled search response (pickle.loads); every tweet's text is cleaned
(links, mentions, the hash of hashtags, HTML entities, symbols and extra spaces removed,
lower case), scored with vaderSentiment 3.3.2, and the scores and the text are appended
to h5py datasets once per transport batch of 10 responses. The transport is pyzmq: a PULL
socket connected to the producer's PUSH (one pickled response per message, as the
twitter-producer sends them; bench/side-by-side/twitter-push.py in the benchmark).

  twitter_processor.py --zmq ENDPOINT --tweets N --out FILE.h5 [--site VADER_DIR]

Prints "ready" once loaded and connected, "progress <tweets>" after every batch, and
"done <epoch ms>" (time.time()) once N tweets are appended and the file is closed.
"""
import argparse
import html
import pickle
import re
import signal
import sys
import time

import h5py
import numpy as np
import zmq

LINK = re.compile(r"https?://\S+|www\.\S+")
MENTION = re.compile(r"@\w+")
SYMBOLS = re.compile(r"[^\w\s!?.,'$]")
SPACES = re.compile(r"\s+")
PER_BATCH = 10


def clean(text):
    text = html.unescape(text)
    text = LINK.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = text.replace("#", "")
    text = SYMBOLS.sub(" ", text)
    return SPACES.sub(" ", text).strip().lower()


class TweetTable:
    """Extendable datasets: ids and created_at (fixed bytes), text (variable UTF-8), four scores."""

    def __init__(self, path):
        self.file = h5py.File(path, "w")
        g = self.file.require_group("tweets")
        self.ids = g.create_dataset("id", (0,), maxshape=(None,), dtype="S20", chunks=(4096,))
        self.created = g.create_dataset("created_at", (0,), maxshape=(None,), dtype="S24", chunks=(4096,))
        self.text = g.create_dataset("text", (0,), maxshape=(None,), dtype=h5py.string_dtype(), chunks=(4096,))
        self.scores = g.create_dataset("scores", (0, 4), maxshape=(None, 4), dtype="f8", chunks=(4096, 4))

    def append(self, rows):
        n0 = self.ids.shape[0]
        n1 = n0 + len(rows)
        for ds in (self.ids, self.created, self.text, self.scores):
            ds.resize(n1, axis=0)
        self.ids[n0:n1] = [r[0].encode() for r in rows]
        self.created[n0:n1] = [r[1].encode() for r in rows]
        self.text[n0:n1] = [r[2] for r in rows]
        self.scores[n0:n1] = np.array([r[3] for r in rows], dtype="f8")
        self.file.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zmq", required=True, help="endpoint of the producer's PUSH socket")
    ap.add_argument("--tweets", type=int, required=True, help="tweets to take before reporting done")
    ap.add_argument("--out", required=True)
    ap.add_argument("--site", help="folder vaderSentiment 3.3.2 was installed into (pip install --target)")
    args = ap.parse_args()
    if args.site:
        sys.path.insert(0, args.site)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    table = TweetTable(args.out)
    sock = zmq.Context().socket(zmq.PULL)
    sock.setsockopt(zmq.RCVHWM, 100)
    sock.connect(args.zmq)
    print("ready", flush=True)
    done = 0
    while done < args.tweets:
        rows = []
        for _ in range(PER_BATCH):
            response = pickle.loads(sock.recv())
            for tweet in response["data"]:
                text = clean(tweet["text"])
                s = analyzer.polarity_scores(text)
                rows.append((tweet["id"], tweet["created_at"], text, (s["compound"], s["pos"], s["neu"], s["neg"])))
            if done + len(rows) >= args.tweets:
                break
        table.append(rows)
        done += len(rows)
        print(f"progress {done}", flush=True)
    table.file.close()
    print(f"done {time.time() * 1000:.1f}", flush=True)
    signal.pause()  # stay alive until the harness has read the last count and stops us


if __name__ == "__main__":
    main()
