#!/usr/bin/python3
"""Independent check of twitter.h5, used by the Twitter end-to-end tests.

Reads /tweets, /text_heap and /sentiment with h5py, rebuilds every text with
the read-back recipe of docs/hdf5-layout.md ("## twitter.h5"), and compares
with the tweets the simulator served (a JSON list of {id, text, created_at,
author_id, lang}): each served tweet must be stored exactly once with its exact
text (compared as Python str). /sentiment rows are merged by window_start and
must count exactly the tweets stored with in_sentiment = 1, label by label.

Prints a JSON summary; exits 1 on any problem.
"""
import argparse
import json
import math
import sys
from datetime import datetime

import h5py


def full_text(row, heap, field, bytes_col, offset_col):
    """The read-back recipe: the heap when the offset is set, else the fixed field."""
    n = int(row[bytes_col])
    off = int(row[offset_col])
    raw = heap[off:off + n].tobytes() if off >= 0 else bytes(row[field])
    if len(raw) != n:
        raise ValueError(f"{field}: {len(raw)} bytes read, {n} expected")
    return raw.decode("utf-8")


def iso_ms(s):
    return int(round(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h5", required=True)
    ap.add_argument("--served", required=True, help="JSON file: the simulator's served tweets")
    ap.add_argument("--window-ms", type=int, required=True)
    args = ap.parse_args()
    with open(args.served, encoding="utf-8") as fh:
        served = {t["id"]: t for t in json.load(fh)}
    problems = []

    with h5py.File(args.h5, "r") as f:
        tweets = f["tweets"][:]
        heap = f["text_heap"][:]
        sentiment = f["sentiment"][:] if "sentiment" in f else []
        for name in ("tweets", "sentiment"):
            attrs = f[name].attrs
            for key in ("schema_version", "source", "time_unit", "window_seconds", "allowed_lateness_seconds",
                        "positive_threshold", "negative_threshold", "text_width"):
                if key not in attrs:
                    problems.append(f"/{name} lacks attribute {key}")
            if "window_seconds" in attrs and int(round(float(attrs["window_seconds"]) * 1000)) != args.window_ms:
                problems.append(f"/{name} window_seconds is {attrs['window_seconds']}")

    ids = [bytes(r["id"]).decode("ascii") for r in tweets]
    seen = {}
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
    dupes = sorted(i for i, n in seen.items() if n > 1)
    missing = sorted(set(served) - set(seen))
    extra = sorted(set(seen) - set(served))
    if dupes:
        problems.append(f"{len(dupes)} ids stored more than once, e.g. {dupes[:3]}")
    if missing:
        problems.append(f"{len(missing)} served tweets missing, e.g. {missing[:3]}")
    if extra:
        problems.append(f"{len(extra)} stored tweets never served, e.g. {extra[:3]}")

    heap_rows = 0
    per_window = {}
    for row, tid in zip(tweets, ids):
        try:
            text = full_text(row, heap, "text", "text_bytes", "text_heap_offset")
            full_text(row, heap, "cleaned_text", "cleaned_bytes", "cleaned_heap_offset")
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f"tweet {tid}: {e}")
            continue
        heap_rows += int(row["text_heap_offset"]) >= 0
        want = served.get(tid)
        if want is None:
            continue
        if text != want["text"]:
            problems.append(f"tweet {tid}: text differs: {text[:60]!r} vs {want['text'][:60]!r}")
        created = int(row["created_at"])
        if created != iso_ms(want["created_at"]):
            problems.append(f"tweet {tid}: created_at {created} vs {want['created_at']}")
        if bytes(row["author_id"]).decode() != want["author_id"] or bytes(row["lang"]).decode() != want["lang"]:
            problems.append(f"tweet {tid}: author_id/lang differ")
        ws = int(row["window_start"])
        if ws != (created // args.window_ms) * args.window_ms:
            problems.append(f"tweet {tid}: window_start {ws} does not hold created_at {created}")
        label = bytes(row["sentiment_label"]).decode()
        if label not in ("positive", "neutral", "negative"):
            problems.append(f"tweet {tid}: label {label!r}")
        if int(row["in_sentiment"]) == 1:
            w = per_window.setdefault(ws, {"count": 0, "positive": 0, "neutral": 0, "negative": 0, "score_sum": 0.0})
            w["count"] += 1
            w[label] += 1
            w["score_sum"] += float(row["sentiment_score"])

    merged = {}
    for r in sentiment:
        ws = int(r["window_start"])
        if int(r["window_end"]) != ws + args.window_ms:
            problems.append(f"window {ws}: window_end {int(r['window_end'])}")
        m = merged.setdefault(ws, {"count": 0, "positive": 0, "neutral": 0, "negative": 0, "score_sum": 0.0})
        for k in ("count", "positive", "neutral", "negative"):
            m[k] += int(r[k])
        m["score_sum"] += float(r["score_sum"])
        if int(r["count"]) > 0 and not math.isclose(float(r["score_mean"]), float(r["score_sum"]) / int(r["count"]), rel_tol=1e-12, abs_tol=1e-15):
            problems.append(f"window {ws}: score_mean is not score_sum / count")
    for ws in sorted(set(merged) | set(per_window)):
        a = merged.get(ws)
        b = per_window.get(ws)
        if a is None or b is None:
            problems.append(f"window {ws}: in {'/tweets' if a is None else '/sentiment'} only")
            continue
        for k in ("count", "positive", "neutral", "negative"):
            if a[k] != b[k]:
                problems.append(f"window {ws}: {k} {a[k]} in /sentiment, {b[k]} on-time tweets")
        if not math.isclose(a["score_sum"], b["score_sum"], rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"window {ws}: score_sum {a['score_sum']} vs {b['score_sum']}")

    on_time = sum(w["count"] for w in per_window.values())
    summary = {
        "tweets": len(ids),
        "served": len(served),
        "on_time": on_time,
        "late": len(ids) - on_time,
        "sentiment_total": sum(m["count"] for m in merged.values()),
        "sentiment_rows": len(sentiment),
        "windows": len(merged),
        "incomplete_rows": int(sum(1 for r in sentiment if int(r["complete"]) == 0)),
        "heap_rows": heap_rows,
        "multibyte_texts": sum(1 for t in served.values() if len(t["text"].encode("utf-8")) != len(t["text"])),
        "problems": problems,
    }
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
