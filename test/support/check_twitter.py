#!/usr/bin/python3
"""Independent check of twitter.h5, used by the Twitter end-to-end tests.

Reads /tweets, /text_heap and /sentiment with h5py, rebuilds every text with
the read-back recipe of docs/hdf5-layout.md ("## twitter.h5"), and compares
with the tweets the simulator served (a JSON list of {id, text, created_at,
author_id, lang}): each served tweet must be stored exactly once with its exact
text (compared as Python str). /sentiment rows are merged by window_start and
must count exactly the tweets stored with in_sentiment = 1, label by label; a
tweet counts there when a /sentiment row of its window covers it (by log
offsets when the rows carry them, else any row of the window). A tweet
flagged in_sentiment = 1 that no row covers is a problem.

Each --h5 (and --expected-h5) is a configured path read as a store
(test/support/store_files.py): the file itself if it exists, plus every
partition file of its folder (`x.h5` names the folder `x`). A store stands
for one writer's file: its files are read together (a dataset missing in
some of them is normal), each /tweets row's text is resolved against the
/text_heap of the file that holds the row, and below "file" means a store.

Several files (--h5 repeated) are read together: /tweets keeps one row per id
(copies must agree; they are counted in ids_in_several_files), and the
/sentiment rows of all files are merged. Replica files: a copy counts only
if a row of its own file covers it (a replica that stopped before writing a
window leaves copies flagged 1 that no row counted, and the next owner may
have found them late); the tweet counts once if any copy counts.
--one-writer: the files are successive files of one processor (a window's
row may be in the file started after its first tweets): rows of any file
cover. When the rows carry log_partition, log_offset_first and
log_offset_last (schema_version 2), the MERGE RULE of the documented sink behaviour
applies before merging: among the rows of one window with the same
log_partition >= 0, a row whose offset range lies inside another's is
skipped (identical ranges: one is kept). Rows with complete = 0 are reported
apart (incomplete, windows_without_complete_row).

--expected-h5 (repeatable) names an uninterrupted run's file(s): the merged
/sentiment windows and the /tweets rows must then be the same as there.
--transport kafka|zmq checks the log_* values docs/hdf5-layout.md gives each row;
those findings go to log_problems, apart from problems. --ids-by-file lists
the ids each file holds.

Sources and deletes (schema_version 4): a served item's "source" (default
"twitter") and "uri" (default "") must be the row's; /sentiment rows are per
(window_start, source) and are merged and compared per source. --deleted FILE
(a JSON list of ids) names posts deleted upstream: their rows must have empty
text and cleaned_text (no bytes, no heap offset) and deleted_at set, and
/deletes must hold each once with applied = 1; every other row keeps its exact
text with deleted_at = -1, and /deletes holds no other id.

Scores (schema_version 3): each /tweets row's sentiment_label must be the one its
sentiment_score (VADER's compound) gives under the file's positive_threshold and
negative_threshold attributes, the score must lie in [-1, 1], and sentiment_pos,
sentiment_neu and sentiment_neg must add up to 1 (to their 3-decimal rounding; all 0
for a text without tokens).

Prints a JSON summary; exits 1 on any problem (log_problems included).
"""
import argparse
import json
import math
import os
import sys
from datetime import datetime, timezone

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_files import store_files  # noqa: E402

LABELS = ("positive", "neutral", "negative")
HEAPS = {}  # file (of a store) -> its /text_heap bytes (a deleted post's text must not be left there)
SENT_LOG = ("log_partition", "log_offset_first", "log_offset_last")
TWEET_LOG = ("log_partition", "log_offset")


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


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def label_of(score, positive, negative):
    """The documented label rule: strictly beyond a threshold, else neutral."""
    return "positive" if score > positive else "negative" if score < negative else "neutral"


def check_scores(path, tweets, attrs, problems):
    """Each row's label follows from its score and the file's thresholds; pos + neu + neg is 1."""
    names = tweets.dtype.names if len(tweets) else ()
    if "sentiment_pos" not in names:
        return
    positive, negative = float(attrs["positive_threshold"]), float(attrs["negative_threshold"])
    bad = []
    for row in tweets:
        tid = bytes(row["id"]).decode("ascii")
        score = float(row["sentiment_score"])
        shares = [float(row[c]) for c in ("sentiment_pos", "sentiment_neu", "sentiment_neg")]
        label = bytes(row["sentiment_label"]).decode()
        if not -1.0 <= score <= 1.0:
            bad.append(f"tweet {tid}: sentiment_score {score} outside [-1, 1]")
        if label != label_of(score, positive, negative):
            bad.append(f"tweet {tid}: label {label!r} but score {score} gives {label_of(score, positive, negative)!r}")
        if any(x < 0 for x in shares) or not (sum(shares) == 0 or abs(sum(shares) - 1) <= 0.0015 + 1e-9):
            bad.append(f"tweet {tid}: pos, neu, neg {shares} do not add up to 1")
    problems.extend(f"{path}: {b}" for b in bad[:20])


def text_of(row, names, col, default=""):
    return bytes(row[col]).decode("utf-8") if col in names else default


def read_file(path, window_ms, problems, deletes_out=None):
    """One file's /tweets rows (decoded) and /sentiment rows, as plain dicts."""
    with h5py.File(path, "r") as f:
        tweets = f["tweets"][:] if "tweets" in f else []
        heap = f["text_heap"][:] if "text_heap" in f else []
        sentiment = f["sentiment"][:] if "sentiment" in f else []
        if deletes_out is not None:
            HEAPS[path] = heap.tobytes() if len(heap) else b""
        if deletes_out is not None and "deletes" in f:
            for d in f["deletes"][:]:
                deletes_out.append({"id": bytes(d["id"]).decode("ascii"), "uri": bytes(d["uri"]).decode(),
                                    "source": bytes(d["source"]).decode(), "deleted_at": int(d["deleted_at"]),
                                    "applied": int(d["applied"]), "file": path})
        for name in ("tweets", "sentiment"):
            if name not in f:
                continue
            attrs = f[name].attrs
            for key in ("schema_version", "source", "time_unit", "window_seconds", "allowed_lateness_seconds",
                        "positive_threshold", "negative_threshold", "text_width"):
                if key not in attrs:
                    problems.append(f"{path}: /{name} lacks attribute {key}")
            if "window_seconds" in attrs and int(round(float(attrs["window_seconds"]) * 1000)) != window_ms:
                problems.append(f"{path}: /{name} window_seconds is {attrs['window_seconds']}")
        if "tweets" in f and "positive_threshold" in f["tweets"].attrs:
            check_scores(path, tweets, f["tweets"].attrs, problems)
    t_names = tweets.dtype.names if len(tweets) else ()
    s_names = sentiment.dtype.names if len(sentiment) else ()
    rows = []
    for row in tweets:
        tid = bytes(row["id"]).decode("ascii")
        try:
            text = full_text(row, heap, "text", "text_bytes", "text_heap_offset")
            cleaned = full_text(row, heap, "cleaned_text", "cleaned_bytes", "cleaned_heap_offset")
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f"{path}: tweet {tid}: {e}")
            continue
        rows.append({
            "id": tid, "text": text, "created_at": int(row["created_at"]), "window_start": int(row["window_start"]),
            "author_id": bytes(row["author_id"]).decode(), "lang": bytes(row["lang"]).decode(),
            "source": text_of(row, t_names, "source", "twitter"), "uri": text_of(row, t_names, "uri"),
            "deleted_at": int(row["deleted_at"]) if "deleted_at" in t_names else -1, "cleaned": cleaned,
            "text_bytes": int(row["text_bytes"]), "cleaned_bytes": int(row["cleaned_bytes"]),
            "label": bytes(row["sentiment_label"]).decode(), "score": float(row["sentiment_score"]),
            "in_sentiment": int(row["in_sentiment"]), "heap": int(row["text_heap_offset"]) >= 0,
            "log": tuple(int(row[c]) for c in TWEET_LOG) if all(c in t_names for c in TWEET_LOG) else None,
        })
    sent = []
    for r in sentiment:
        d = {k: int(r[k]) for k in ("window_start", "window_end", "count", "positive", "neutral", "negative",
                                     "complete")}
        d.update(score_sum=float(r["score_sum"]), score_mean=float(r["score_mean"]), file=path,
                 source=text_of(r, s_names, "source", "twitter"),
                 log=tuple(int(r[c]) for c in SENT_LOG) if all(c in s_names for c in SENT_LOG) else None)
        sent.append(d)
    return rows, sent, all(r["log"] is not None for r in rows + sent)


def apply_merge_rule(rows):
    """Drops the rows the MERGE RULE skips; returns (kept, skipped, overlapping pairs that are not nested)."""
    kept, skipped, overlaps = [], 0, 0
    groups = {}
    for r in rows:
        if r["log"] is None or r["log"][0] < 0:
            kept.append(r)
        else:
            groups.setdefault((r["window_start"], r["source"], r["log"][0]), []).append(r)
    for group in groups.values():
        # A row's containers sort before it: first offset ascending, last offset descending.
        group.sort(key=lambda r: (r["log"][1], -r["log"][2]))
        inside = []
        for r in group:
            _, first, last = r["log"]
            if any(k["log"][1] <= first and last <= k["log"][2] for k in inside):
                skipped += 1
                continue
            overlaps += sum(1 for k in inside if first <= k["log"][2])
            inside.append(r)
        kept.extend(inside)
    return kept, skipped, overlaps


def merge_windows(rows):
    """(window_start, source) -> merged sums, plus how many rows made it."""
    merged = {}
    for r in rows:
        m = merged.setdefault((r["window_start"], r["source"]), {"count": 0, "positive": 0, "neutral": 0, "negative": 0,
                                                  "score_sum": 0.0, "rows": 0, "complete": 0})
        for k in ("count", *LABELS):
            m[k] += r[k]
        m["score_sum"] += r["score_sum"]
        m["rows"] += 1
        m["complete"] = max(m["complete"], r["complete"])
    return merged


def covers(rows, tweet):
    """Whether one of its file's kept /sentiment rows of its window counted this tweet row.

    With log offsets: a row of its partition whose range holds its offset, or a row of
    several partitions (-1). Without (schema_version 1): any row of the window."""
    if tweet["log"] is None:
        return bool(rows)
    return any(k["log"] is None or k["log"][0] < 0 or (k["log"][0] == tweet["log"][0] and
                                                        k["log"][1] <= tweet["log"][1] <= k["log"][2]) for k in rows)


def read_store(path, window_ms, problems, deletes_out=None):
    """read_file over every file of the store `path`: rows and sentiment rows as one file's,
    each text read from its own file's heap; /deletes rows and sentiment rows name the store."""
    rows, sent, log_ok = [], [], True
    for part in store_files(path, require=True):
        part_deletes = [] if deletes_out is not None else None
        r, s, ok = read_file(part, window_ms, problems, part_deletes)
        rows.extend(r)
        sent.extend(s)
        log_ok = log_ok and ok
        for d in part_deletes or []:
            d["file"] = path
            deletes_out.append(d)
    for r in sent:
        r["file"] = path
    return rows, sent, log_ok


def read_set(paths, window_ms, problems, one_writer=False, deletes_out=None):
    """Tweets of several files, one per id; sentiment rows of all of them, merged with the rule.

    A tweet counts in /sentiment when a copy of it has in_sentiment = 1 and a kept row of
    its own file covers it: a replica that stopped before writing a window leaves copies
    flagged 1 that no row counted, and the next owner may have found them late.
    With one_writer the files are successive files of one processor: any file's rows count."""
    copies, sent, has_log, rows_total = {}, [], True, 0
    for path in paths:
        rows, s, log_ok = read_store(path, window_ms, problems, deletes_out)
        has_log = has_log and log_ok
        sent.extend(s)
        rows_total += len(rows)
        dupes = []
        for r in rows:
            r["file"] = path
            if any(c["file"] == path for c in copies.get(r["id"], [])):
                dupes.append(r["id"])
                continue
            copies.setdefault(r["id"], []).append(r)
        if dupes:
            problems.append(f"{path}: {len(dupes)} ids stored more than once, e.g. {dupes[:3]}")
    kept, skipped, overlaps = apply_merge_rule(sent)
    kept_by = {}
    for k in kept:
        kept_by.setdefault((None if one_writer else k["file"], k["window_start"], k["source"]), []).append(k)
    by_id, uncounted = {}, []
    for tid, cs in copies.items():
        first = by_id[tid] = cs[0]
        for r in cs[1:]:
            for k in ("text", "created_at", "window_start", "label", "score"):
                if first[k] != r[k]:
                    problems.append(f"tweet {tid}: {k} differs between {first['file']} and {r['file']}")
        counted = [r for r in cs if r["in_sentiment"] == 1 and
                   covers(kept_by.get((None if one_writer else r["file"], r["window_start"], r["source"]), []), r)]
        first["counted"] = 1 if counted else 0
        if not counted and all(r["in_sentiment"] == 1 for r in cs):
            uncounted.append(tid)
    if uncounted:
        problems.append(f"{len(uncounted)} tweets have in_sentiment = 1 but no /sentiment row of their file "
                        f"counts them, e.g. {uncounted[:3]}")
    return {"tweets": by_id, "where": {t: [r["file"] for r in cs] for t, cs in copies.items()}, "rows": rows_total,
            "sent": sent, "kept": kept, "skipped": skipped, "overlaps": overlaps, "merged": merge_windows(kept),
            "has_log": has_log}


def check_tweets(data, served, window_ms, problems, deleted=frozenset()):
    per_window = {}
    for tid, r in data["tweets"].items():
        want = served.get(tid)
        if want is None:
            continue
        if tid in deleted:
            if (r["text"], r["cleaned"], r["text_bytes"], r["cleaned_bytes"]) != ("", "", 0, 0) or r["heap"]:
                problems.append(f"post {tid} was deleted but its text is still stored: {r['text'][:60]!r}")
            if r["deleted_at"] < 0:
                problems.append(f"post {tid} was deleted but deleted_at is {r['deleted_at']}")
            raw = want["text"].encode("utf-8")
            if len(raw) >= 16 and any(raw in h for h in HEAPS.values()):
                problems.append(f"post {tid} was deleted but its text is still in /text_heap")
        elif r["text"] != want["text"]:
            problems.append(f"tweet {tid}: text differs: {r['text'][:60]!r} vs {want['text'][:60]!r}")
        elif r["deleted_at"] != -1:
            problems.append(f"tweet {tid}: deleted_at {r['deleted_at']} but it was not deleted")
        if r["source"] != want.get("source", "twitter") or r["uri"] != want.get("uri", ""):
            problems.append(f"tweet {tid}: source/uri {r['source']!r} {r['uri']!r}, expected "
                            f"{want.get('source', 'twitter')!r} {want.get('uri', '')!r}")
        if r["created_at"] != iso_ms(want["created_at"]):
            problems.append(f"tweet {tid}: created_at {r['created_at']} vs {want['created_at']}")
        if r["author_id"] != want["author_id"] or r["lang"] != want["lang"]:
            problems.append(f"tweet {tid}: author_id/lang differ")
        ws = r["window_start"]
        if ws != (r["created_at"] // window_ms) * window_ms:
            problems.append(f"tweet {tid}: window_start {ws} does not hold created_at {r['created_at']}")
        if r["label"] not in LABELS:
            problems.append(f"tweet {tid}: label {r['label']!r}")
        elif r["counted"] == 1:
            w = per_window.setdefault((ws, r["source"]), {"count": 0, "positive": 0, "neutral": 0, "negative": 0, "score_sum": 0.0})
            w["count"] += 1
            w[r["label"]] += 1
            w["score_sum"] += r["score"]
    return per_window


def check_sentiment(data, per_window, window_ms, problems):
    for r in data["sent"]:
        ws = r["window_start"]
        if r["source"] not in ("twitter", "bluesky"):
            problems.append(f"window {ws}: source {r['source']!r}")
        if r["window_end"] != ws + window_ms:
            problems.append(f"window {ws}: window_end {r['window_end']}")
        if r["count"] > 0 and not math.isclose(r["score_mean"], r["score_sum"] / r["count"], rel_tol=1e-12,
                                               abs_tol=1e-15):
            problems.append(f"window {ws}: score_mean is not score_sum / count")
    merged = data["merged"]
    for ws in sorted(set(merged) | set(per_window)):
        a, b = merged.get(ws), per_window.get(ws)
        if a is None or b is None:
            problems.append(f"window {ws}: in {'/tweets' if a is None else '/sentiment'} only")
            continue
        for k in ("count", *LABELS):
            if a[k] != b[k]:
                problems.append(f"window {ws}: {k} {a[k]} in /sentiment, {b[k]} on-time tweets")
        if not math.isclose(a["score_sum"], b["score_sum"], rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"window {ws}: score_sum {a['score_sum']} vs {b['score_sum']}")


def compare_expected(data, exp, problems):
    """Merged /sentiment and /tweets against an uninterrupted run's; exact unless a side merged several rows."""
    a, e = data["merged"], exp["merged"]
    for ws in sorted(set(a) | set(e)):
        name = f"window {ws} ({iso(ws[0])} {ws[1]})"
        if ws not in a or ws not in e:
            problems.append(f"{name}: only in the {'expected' if ws in e else 'checked'} file")
            continue
        for k in ("count", *LABELS):
            if a[ws][k] != e[ws][k]:
                problems.append(f"{name}: {k} {a[ws][k]}, expected {e[ws][k]}")
        exact = a[ws]["rows"] == 1 and e[ws]["rows"] == 1
        x, y = a[ws]["score_sum"], e[ws]["score_sum"]
        if not (x == y if exact else math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)):
            problems.append(f"{name}: score_sum {x!r}, expected {y!r}")
    for tid in sorted(set(data["tweets"]) | set(exp["tweets"])):
        r, w = data["tweets"].get(tid), exp["tweets"].get(tid)
        if r is None or w is None:
            problems.append(f"tweet {tid}: only in the {'expected' if r is None else 'checked'} file")
            continue
        for k in ("text", "window_start", "counted", "label", "score", "source", "deleted_at"):
            if r[k] != w[k]:
                problems.append(f"tweet {tid}: {k} {r[k]!r}, expected {w[k]!r}")
    return {"windows": len(set(a) & set(e)), "tweets": len(set(data["tweets"]) & set(exp["tweets"]))}


def check_deletes(deletes, deleted, stored, problems):
    """/deletes holds each deleted post once (per file), applied, and no post that was not deleted."""
    seen = {}
    for d in deletes:
        key = (d["file"], d["id"])
        seen[key] = seen.get(key, 0) + 1
        if d["id"] not in deleted:
            problems.append(f"/deletes of {d['file']} names post {d['id']}, which was not deleted")
        if d["applied"] != 1:
            problems.append(f"/deletes of {d['file']}: post {d['id']} applied = {d['applied']}")
        row = stored.get(d["id"])
        if row is not None and (d["deleted_at"] != row["deleted_at"] or d["source"] != row["source"]
                                or (row["uri"] and d["uri"] != row["uri"])):
            problems.append(f"/deletes row of {d['id']} disagrees with its /tweets row")
    problems.extend(f"/deletes of {f} holds post {i} {n} times" for (f, i), n in seen.items() if n > 1)
    ids = {d["id"] for d in deletes}
    problems.extend(f"deleted post {t} has no /deletes row" for t in sorted(deleted - ids) if t in stored)


def check_log_columns(data, transport):
    """The log_* values docs/hdf5-layout.md gives each row: Kafka offsets, or -1 everywhere on ZeroMQ."""
    out = []
    if not data["has_log"]:
        return ["no log_partition/log_offset* columns (schema_version 1)"]
    for tid, r in data["tweets"].items():
        p, off = r["log"]
        if transport == "kafka" and (p < 0 or off < 0) or transport == "zmq" and (p, off) != (-1, -1):
            out.append(f"tweet {tid}: log_partition {p}, log_offset {off} on {transport}")
    for r in data["sent"]:
        p, first, last = r["log"]
        ok = (p, first, last) == (-1, -1, -1) if transport == "zmq" else \
            (p, first, last) == (-1, -1, -1) or (p >= 0 and 0 <= first <= last)
        if not ok:
            out.append(f"{r['file']}: window {r['window_start']}: log range {r['log']} on {transport}")
    return out[:20]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h5", required=True, action="append", help="file to check (repeatable: read together)")
    ap.add_argument("--served", required=True, help="JSON file: the simulator's served tweets")
    ap.add_argument("--window-ms", type=int, required=True)
    ap.add_argument("--expected-h5", action="append", default=[], help="an uninterrupted run's file (repeatable)")
    ap.add_argument("--transport", choices=("kafka", "zmq"), help="check the log_* columns' values")
    ap.add_argument("--ids-by-file", action="store_true", help="list the tweet ids each file holds")
    ap.add_argument("--deleted", help="JSON file: ids of posts deleted upstream (their text must be gone)")
    ap.add_argument("--one-writer", action="store_true",
                    help="the files are successive files of one processor (a window's row may be in a later file)")
    args = ap.parse_args()
    with open(args.served, encoding="utf-8") as fh:
        served = {t["id"]: t for t in json.load(fh)}
    deleted = set()
    if args.deleted:
        with open(args.deleted, encoding="utf-8") as fh:
            deleted = set(json.load(fh))
    problems = []
    deletes = []
    data = read_set(args.h5, args.window_ms, problems, args.one_writer, deletes)
    stored = data["tweets"]
    missing = sorted(set(served) - set(stored))
    extra = sorted(set(stored) - set(served))
    if missing:
        problems.append(f"{len(missing)} served tweets missing, e.g. {missing[:3]}")
    if extra:
        problems.append(f"{len(extra)} stored tweets never served, e.g. {extra[:3]}")
    per_window = check_tweets(data, served, args.window_ms, problems, deleted)
    check_deletes(deletes, deleted, data["tweets"], problems)
    check_sentiment(data, per_window, args.window_ms, problems)
    compared = None
    if args.expected_h5:
        exp_problems = []
        exp = read_set(args.expected_h5, args.window_ms, exp_problems)
        problems.extend(f"expected file: {p}" for p in exp_problems)
        compared = compare_expected(data, exp, problems)
    log_problems = check_log_columns(data, args.transport) if args.transport else []
    incomplete = [r for r in data["sent"] if r["complete"] == 0]
    merged = data["merged"]
    on_time = sum(w["count"] for w in per_window.values())
    summary = {
        "files": len(args.h5),
        "tweets": len(stored),
        "tweet_rows": data["rows"],
        "ids_in_several_files": sum(1 for w in data["where"].values() if len(w) > 1),
        "served": len(served),
        "on_time": on_time,
        "late": len(stored) - on_time,
        "sentiment_total": sum(m["count"] for m in merged.values()),
        "sentiment_rows": len(data["sent"]),
        "rows_skipped_by_merge_rule": data["skipped"],
        "overlapping_ranges": data["overlaps"],
        "windows": len(merged),
        "sources": {s: sum(1 for r in stored.values() if r["source"] == s) for s in sorted({r["source"] for r in
                                                                                             stored.values()})},
        "sentiment_by_source": {s: {"windows": sum(1 for k in merged if k[1] == s),
                                    "count": sum(m["count"] for k, m in merged.items() if k[1] == s)}
                                for s in sorted({k[1] for k in merged})},
        "deleted_blank": sum(1 for t in deleted if t in stored and stored[t]["text"] == "" and
                             stored[t]["deleted_at"] >= 0),
        "deletes_rows": len(deletes),
        "incomplete_rows": len(incomplete),
        "windows_without_complete_row": sum(1 for m in merged.values() if m["complete"] == 0),
        "incomplete": [{"file": r["file"], "window_start": iso(r["window_start"]), "count": r["count"],
                        "log": r["log"]} for r in incomplete[:20]],
        "log_columns": data["has_log"],
        "heap_rows": sum(1 for r in stored.values() if r["heap"]),
        "multibyte_texts": sum(1 for t in served.values() if len(t["text"].encode("utf-8")) != len(t["text"])),
        "compared": compared,
        "ids_by_file": {p: sorted(i for i, w in data["where"].items() if p in w) for p in args.h5}
        if args.ids_by_file else None,
        "problems": problems[:40],
        "problem_count": len(problems),
        "log_problems": log_problems,
    }
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    return 1 if problems or log_problems else 0


if __name__ == "__main__":
    sys.exit(main())
