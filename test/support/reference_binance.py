#!/usr/bin/python3
"""Independent reference for the binance-processor's ticker windows, used by the end-to-end tests.

The aggTrade candles (open, high, low, close, volumes, trade counts, taker buys, vwap, empty
windows, gap flags, /gaps) have their own pandas reference: test/support/reference_candles.py.
Schema 3 rows also carry a `gap` column; this reference does not expect gap markers in its
input and ignores the column.

Reads the replay file the simulator served (JSON lines, combined-stream
messages), applies the documented windowing rules on its own (tumbling
event-time windows per symbol, processed in arrival order, an event is late
once an event at or past window end + lateness has arrived for its symbol),
computes the aggregates with plain Python, and compares them with every row
that h5py reads from the pipeline's HDF5 file. Rows of the same
(symbol, window_start) are merged first (count, sums, min, max, first and
last by event time), as docs/hdf5-layout.md describes.

--h5 may be given several times (replicas of a consumer group each write
their own file): the rows of all files are merged as one table. Each --h5 is
a configured path read as a store (test/support/store_files.py): the file
itself if it exists, plus every partition file of its folder (`x.h5` names
the folder `x`); a window's rows may be spread over several of them.

When the rows carry log_partition, log_offset_first and log_offset_last
(schema_version 2), the MERGE RULE comes first: among the rows of one window
(same dataset and window_start, over all files) with the same
log_partition >= 0, a row whose offset range lies inside another such row's
range is skipped (a later owner of the partition counted those messages again),
and of identical ranges one is kept. Rows with log_partition -1 always count.
Without those columns every row counts, as before.
--closed-only expects only the windows that the input's own event times
close (a window whose end + lateness no later event of its symbol reaches
stays open); an open window may appear only as partial rows (complete = 0,
written at a rebalance), which are then left out of the comparison. The
summary reports the open windows, the events they hold and such rows.
--once: a file (a store: all files of one --h5) holding two complete = 1
rows of one window is a problem (the window was written twice).
--after-ms T: only windows that close after event time T (window_end +
lateness > T) are expected; rows of earlier windows (a file lost in a fault
held them) are counted, not compared.
--may-be-partial (ZeroMQ crash): a window whose rows are all complete = 0 may
have lost events; it is reported (partial_windows) and only checked not to
count more events than the input put in it. An expected window with no row
at all is "lost" (lost_windows, not a problem) when the same symbol has a
later partial window (the one the restart marked), and, with --crashed-file
F (a copy of the file taken at the crash), when it is newer than every row F
holds for the symbol (it was not yet written when the process died).

Prints a JSON summary; exits 1 on any mismatch.
"""
import argparse
import json
import math
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_files import store_files  # noqa: E402

FIELDS = {
    "ticker": ("24hrTicker", [("c", "price", ["first", "last", "mean", "min", "max"]), ("b", "bid", ["mean"]),
                              ("a", "ask", ["mean"]), ("v", "volume", ["last"]), ("q", "quote_volume", ["last"])]),
}


def expected_windows(lines, stream, symbols, size, lateness):
    event_type, fields = FIELDS[stream]
    closed_before = {}
    watermark = {}
    windows = {}  # (symbol, start) -> list of (t, arrival, values)
    late_in = {}  # (symbol, start) -> late events that fell in that window
    late = rejected = 0
    for arrival, line in enumerate(lines):
        try:
            msg = json.loads(line)
        except ValueError:
            rejected += 1
            continue
        data = msg.get("data", msg) if isinstance(msg, dict) else None
        if not isinstance(data, dict) or data.get("e") != event_type:
            rejected += 1
            continue
        sym = str(data.get("s", "")).upper()
        t = data.get("E")
        if symbols and sym not in symbols or not isinstance(t, int) or isinstance(t, bool):
            rejected += 1
            continue
        try:
            values = [float(data[src]) for src, _, _ in fields]
        except (KeyError, TypeError, ValueError):
            rejected += 1
            continue
        if not all(math.isfinite(v) for v in values):
            rejected += 1
            continue
        start = (t // size) * size
        if sym not in closed_before:
            closed_before[sym] = ((t - lateness) // size) * size
            watermark[sym] = t
        if start < closed_before[sym]:
            late += 1
            late_in[(sym, start)] = late_in.get((sym, start), 0) + 1
            continue
        windows.setdefault((sym, start), []).append((t, arrival, values))
        watermark[sym] = max(watermark[sym], t)
        closed_before[sym] = max(closed_before[sym], ((watermark[sym] - lateness) // size) * size)
    out = {}
    for key, evs in windows.items():
        first = min(evs, key=lambda e: (e[0], e[1]))
        last = max(evs, key=lambda e: (e[0], e[1]))
        row = {"count": len(evs), "event_time_first": first[0], "event_time_last": last[0]}
        for i, (_, name, ops) in enumerate(fields):
            vals = [e[2][i] for e in evs]
            s = math.fsum(vals)
            for op in ops:
                row[f"{name}_{op}"] = {"first": first[2][i], "last": last[2][i], "mean": s / len(vals),
                                       "sum": s, "min": min(vals), "max": max(vals)}[op]
        out[key] = row
    return out, late, rejected, closed_before, late_in


LOG_COLUMNS = ("log_partition", "log_offset_first", "log_offset_last")


def read_rows(paths, stream, size):
    """Every row of every store (all files of each path), by (symbol, window_start), in
    store, file then row order.

    Returns (rows, nrows, twice, has_log): `twice` lists the (store, key) pairs with
    more than one complete = 1 row; `has_log` is True when any dataset has the log columns.
    """
    rows = {}
    nrows = 0
    twice = []
    has_log = False
    for path in paths:
        complete_here = {}
        for part in store_files(path, require=True):
            with h5py.File(part, "r") as f:
                if stream not in f:
                    continue
                for sym, ds in f[stream].items():
                    assert ds.attrs["window_seconds"] * 1000 == size, "window_seconds attribute disagrees"
                    has_log = has_log or all(c in ds.dtype.names for c in LOG_COLUMNS)
                    for r in ds[:]:
                        nrows += 1
                        key = (sym, int(r["window_start"]))
                        assert int(r["window_end"]) - int(r["window_start"]) == size
                        row = {n: r[n].item() for n in r.dtype.names}
                        rows.setdefault(key, []).append(row)
                        if row.get("complete", 1) == 1:
                            complete_here[key] = complete_here.get(key, 0) + 1
        twice.extend((path, k) for k, n in complete_here.items() if n > 1)
    return rows, nrows, twice, has_log


def apply_merge_rule(rows):
    """The MERGE RULE on one window's rows; returns (kept rows, number skipped).

    A row without the log columns (schema_version 1) counts as log_partition -1: always kept.
    """
    def span(r):
        return r.get("log_partition", -1), r.get("log_offset_first", -1), r.get("log_offset_last", -1)

    kept = []
    for i, r in enumerate(rows):
        p, lo, hi = span(r)
        inside = False
        for j, o in enumerate(rows):
            op, olo, ohi = span(o)
            if p < 0 or j == i or op != p:
                continue
            # Inside a wider range, or the same range as an earlier row (of identical ones the first stays).
            if olo <= lo and hi <= ohi and ((olo, ohi) != (lo, hi) or j < i):
                inside = True
                break
        if not inside:
            kept.append(r)
    return kept, len(rows) - len(kept)


def merge_rows(rows, fields):
    """Merges one window's rows: counts and sums add, min/max, first/last by event time."""
    prev = dict(rows[0])
    for row in rows[1:]:
        c = prev["count"] + row["count"]
        for _, name, ops in fields:
            if "first" in ops and row["event_time_first"] < prev["event_time_first"]:
                prev[f"{name}_first"] = row[f"{name}_first"]
            if "last" in ops and row["event_time_last"] >= prev["event_time_last"]:
                prev[f"{name}_last"] = row[f"{name}_last"]
            if "min" in ops:
                prev[f"{name}_min"] = min(prev[f"{name}_min"], row[f"{name}_min"])
            if "max" in ops:
                prev[f"{name}_max"] = max(prev[f"{name}_max"], row[f"{name}_max"])
            if "mean" in ops or "sum" in ops:
                prev[f"{name}_sum"] = prev[f"{name}_sum"] + row[f"{name}_sum"]
            if "mean" in ops:
                prev[f"{name}_mean"] = prev[f"{name}_sum"] / c
        prev["event_time_first"] = min(prev["event_time_first"], row["event_time_first"])
        prev["event_time_last"] = max(prev["event_time_last"], row["event_time_last"])
        prev["count"] = c
    return prev


def actual_windows(paths, stream, size):
    """Merged rows by key, the number of rows read, keys with a complete = 1 row, and the merge rule's book."""
    _, fields = FIELDS[stream]
    rows, nrows, twice, has_log = read_rows(paths, stream, size)
    merged = {}
    skipped = 0
    for key, rs in rows.items():
        kept, n = apply_merge_rule(rs)
        skipped += n
        merged[key] = merge_rows(kept, fields)
    complete = {k for k, rs in rows.items() if any(r.get("complete", 1) == 1 for r in rs)}
    return merged, nrows, complete, {"twice": twice, "has_log": has_log, "skipped": skipped}


def newest_rows(path, stream):
    """symbol -> newest window_start in one store (the copy taken at a crash), over its files."""
    out = {}
    for part in store_files(path, require=True):
        with h5py.File(part, "r") as f:
            if stream in f:
                for sym, ds in f[stream].items():
                    if len(ds):
                        out[sym] = max(out.get(sym, float("-inf")), int(ds["window_start"].max()))
    return out


def set_aside_partial(exp, act, complete, late_in, newest_before_crash):
    """--may-be-partial: takes partial and lost windows out of the comparison; returns (summary, problems)."""
    partial = {k for k in act if k not in complete}
    last_partial = {}
    for sym, start in partial:
        last_partial[sym] = max(start, last_partial.get(sym, start))
    problems = []
    info = {"partial_windows": len(partial), "partial_windows_exact_count": 0, "partial_events": 0,
            "lost_windows": 0, "lost_events": 0}
    for key in sorted(partial):
        a = act.pop(key)
        e = exp.pop(key, None)
        info["partial_events"] += a["count"]
        most = (e["count"] if e else 0) + late_in.get(key, 0)
        if e is not None and a["count"] == e["count"]:
            info["partial_windows_exact_count"] += 1
        if a["count"] > most:
            problems.append(f"{key}: partial rows count {a['count']} events, the input put at most {most} there")
    for key in sorted(k for k in exp if k not in act):
        sym, start = key
        after_crash_file = start > newest_before_crash.get(sym, float("-inf"))
        if start < last_partial.get(sym, float("-inf")) and after_crash_file:
            info["lost_windows"] += 1
            info["lost_events"] += exp.pop(key)["count"]
    return info, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--h5", required=True, action="append", help="repeat for the files of several replicas")
    ap.add_argument("--stream", default="ticker")
    ap.add_argument("--window-ms", type=int, required=True)
    ap.add_argument("--lateness-ms", type=int, required=True)
    ap.add_argument("--symbols", default="")
    ap.add_argument("--closed-only", action="store_true",
                    help="expect only the windows the input's event times close")
    ap.add_argument("--once", action="store_true", help="two complete = 1 rows of one window in a file is a problem")
    ap.add_argument("--after-ms", type=int, help="expect only windows closing after this event time")
    ap.add_argument("--may-be-partial", action="store_true",
                    help="windows with only complete = 0 rows may be partial (ZeroMQ crash)")
    ap.add_argument("--crashed-file", help="with --may-be-partial: a copy of the file taken at the crash")
    args = ap.parse_args()
    if args.stream not in FIELDS:
        ap.error(f"--stream {args.stream}: aggTrade candles are checked by test/support/reference_candles.py")
    symbols = {s.strip().upper() for s in args.symbols.split(",") if s.strip()}
    with open(args.input, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip()]
    exp, late, rejected, closed_before, late_in = expected_windows(lines, args.stream, symbols, args.window_ms,
                                                                   args.lateness_ms)
    act, nrows, complete, book = actual_windows(args.h5, args.stream, args.window_ms)
    open_windows = open_events = open_partial = 0
    if args.closed_only:
        still_open = [k for k in exp if k[1] >= closed_before[k[0]]]
        open_windows = len(still_open)
        open_events = sum(exp.pop(k)["count"] for k in still_open)
        for k in still_open:
            if k in act and k not in complete:
                open_partial += 1
                del act[k]
    problems = []
    earlier = {}
    if args.after_ms is not None:
        closes_before = [k for k in set(exp) | set(act) if k[1] + args.window_ms + args.lateness_ms <= args.after_ms]
        earlier = {"earlier_windows_expected": sum(1 for k in closes_before if k in exp),
                   "earlier_windows_present": sum(1 for k in closes_before if k in act)}
        for k in closes_before:
            exp.pop(k, None)
            act.pop(k, None)
    partial = {}
    if args.may_be_partial:
        newest = newest_rows(args.crashed_file, args.stream) if args.crashed_file else {}
        partial, partial_problems = set_aside_partial(exp, act, complete, late_in, newest)
        problems.extend(partial_problems)
    if args.once:
        problems.extend(f"{key}: two complete = 1 rows in {path}" for path, key in book["twice"])
    for key in sorted(set(exp) | set(act)):
        e, a = exp.get(key), act.get(key)
        if e is None or a is None:
            problems.append(f"{key}: {'unexpected row' if e is None else 'missing row'}")
            continue
        for col, ev in e.items():
            av = a.get(col)
            ok = av == ev if col in ("count", "event_time_first", "event_time_last") else (
                av is not None and math.isclose(av, ev, rel_tol=1e-9, abs_tol=1e-9))
            if not ok:
                problems.append(f"{key} {col}: expected {ev!r}, got {av!r}")
    summary = {"expected_windows": len(exp), "actual_windows": len(act), "rows": nrows, "files": len(args.h5),
               "store_files": sum(len(store_files(p)) for p in args.h5),
               "counted_events": sum(a["count"] for a in act.values()), "late": late, "rejected": rejected,
               "merge_rule": book["has_log"], "rows_skipped_by_merge_rule": book["skipped"],
               "problems": problems[:20], "problem_count": len(problems), **earlier, **partial}
    if args.closed_only:
        summary["open_windows"] = open_windows
        summary["open_events"] = open_events
        summary["open_windows_with_partial_rows"] = open_partial
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
