#!/usr/bin/python3
"""Independent reference for the binance-processor, used by the end-to-end tests.

Reads the replay file the simulator served (JSON lines, combined-stream
messages), applies the documented windowing rules on its own (tumbling
event-time windows per symbol, processed in arrival order, an event is late
once an event at or past window end + lateness has arrived for its symbol),
computes the aggregates with plain Python, and compares them with every row
that h5py reads from the pipeline's HDF5 file. Rows of the same
(symbol, window_start) are merged first (count, sums, min, max, first and
last by event time), as docs/hdf5-layout.md describes.

--h5 may be given several times (replicas of a consumer group each write
their own file): the rows of all files are merged as one table.
--closed-only expects only the windows that the input's own event times
close (a window whose end + lateness no later event of its symbol reaches
stays open); an open window may appear only as partial rows (complete = 0,
written at a rebalance), which are then left out of the comparison. The
summary reports the open windows, the events they hold and such rows.

Prints a JSON summary; exits 1 on any mismatch.
"""
import argparse
import json
import math
import sys

import h5py

FIELDS = {
    "ticker": ("24hrTicker", [("c", "price", ["first", "last", "mean", "min", "max"]), ("b", "bid", ["mean"]),
                              ("a", "ask", ["mean"]), ("v", "volume", ["last"]), ("q", "quote_volume", ["last"])]),
    "aggTrade": ("aggTrade", [("p", "price", ["first", "last", "mean", "min", "max"]), ("q", "qty", ["sum"])]),
}


def expected_windows(lines, stream, symbols, size, lateness):
    event_type, fields = FIELDS[stream]
    closed_before = {}
    watermark = {}
    windows = {}  # (symbol, start) -> list of (t, arrival, values)
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
    return out, late, rejected, closed_before


def actual_windows(paths, stream, size):
    _, fields = FIELDS[stream]
    merged = {}
    complete = set()
    nrows = 0
    for path in paths:
        nrows += merge_file(path, stream, size, fields, merged, complete)
    return merged, nrows, complete


def merge_file(path, stream, size, fields, merged, complete):
    """Merges every row of one file into `merged` (keys with a complete = 1 row go into `complete`); returns the number of rows read."""
    nrows = 0
    with h5py.File(path, "r") as f:
        if stream not in f:
            return 0
        for sym, ds in f[stream].items():
            assert ds.attrs["window_seconds"] * 1000 == size, "window_seconds attribute disagrees"
            for r in ds[:]:
                nrows += 1
                key = (sym, int(r["window_start"]))
                assert int(r["window_end"]) - int(r["window_start"]) == size
                row = {n: r[n].item() for n in r.dtype.names}
                if row.get("complete", 1) == 1:
                    complete.add(key)
                prev = merged.get(key)
                if prev is None:
                    merged[key] = row
                    continue
                # Merge a partial row (written early at shutdown) into the previous one.
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
    return nrows


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
    args = ap.parse_args()
    symbols = {s.strip().upper() for s in args.symbols.split(",") if s.strip()}
    with open(args.input, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip()]
    exp, late, rejected, closed_before = expected_windows(lines, args.stream, symbols, args.window_ms,
                                                          args.lateness_ms)
    act, nrows, complete = actual_windows(args.h5, args.stream, args.window_ms)
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
               "counted_events": sum(a["count"] for a in act.values()), "late": late, "rejected": rejected,
               "problems": problems[:20], "problem_count": len(problems)}
    if args.closed_only:
        summary["open_windows"] = open_windows
        summary["open_events"] = open_events
        summary["open_windows_with_partial_rows"] = open_partial
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
