"""Independent check of `npm run export` and `npm run inspect --json` (Debian's h5py).

Reads an HDF5 file the pipeline wrote with h5py, rebuilds what each table should export
(texts by the read-back recipe of docs/hdf5-layout.md, window rows merged by its merge
rule unless --raw, an ISO-8601 UTC twin after each time column) and compares it with the
exported files (--dir, --format csv|jsonl) or with inspect's JSON on stdin (--inspect N);
--dump prints one dataset's rows as this reference reads them (for the dashboard's specs).
Prints a JSON report: {"tables": {path: rows}, "merged_windows": n, "problems": [...]}.
"""
import argparse
import csv
import datetime
import json
import math
import os
import sys

import h5py

TIME_COLUMNS = {"window_start", "window_end", "event_time_first", "event_time_last", "created_at"}
HEAP_TEXTS = {"text": ("text_bytes", "text_heap_offset"), "cleaned_text": ("cleaned_bytes", "cleaned_heap_offset")}


def iso(ms):
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=int(ms))
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def tables(f):
    found = []
    f.visititems(lambda name, obj: found.append("/" + name)
                 if isinstance(obj, h5py.Dataset) and obj.dtype.names else None)
    return found


def plain_rows(f, path):
    ds = f[path]
    heap = f["text_heap"][:] if "text_heap" in f else None
    out = []
    for rec in ds[:]:
        row = {}
        for name in ds.dtype.names:
            v = rec[name]
            row[name] = bytes(v).decode("utf-8") if isinstance(v, bytes) else v.item()
        for col, (nbytes, offset) in HEAP_TEXTS.items():
            if col in row:
                off, n = row[offset], row[nbytes]
                raw = heap[off:off + n].tobytes() if off >= 0 else bytes(rec[col]).ljust(n, b" ")
                row[col] = raw.decode("utf-8")
        out.append(row)
    return out


def is_window_table(names):
    return {"window_start", "window_end", "count"} <= set(names)


def window_of(row):
    return (row["window_start"],) + tuple(sorted((k, v) for k, v in row.items() if isinstance(v, str)))


def without_repeats(rows):
    kept = []
    for i, r in enumerate(rows):
        p = r.get("log_partition", -1)
        repeat = p >= 0 and any(
            j != i and o.get("log_partition") == p
            and o["log_offset_first"] <= r["log_offset_first"] and r["log_offset_last"] <= o["log_offset_last"]
            and ((o["log_offset_first"], o["log_offset_last"]) != (r["log_offset_first"], r["log_offset_last"]) or j < i)
            for j, o in enumerate(rows))
        if not repeat:
            kept.append(r)
    return kept


def merged(rows):
    groups = {}
    for r in rows:
        groups.setdefault(window_of(r), []).append(r)
    out = []
    for group in groups.values():
        rs = without_repeats(group)
        m = dict(rs[0])
        if len(rs) > 1:
            # Rows without events (count 0: an aggTrade window without trades) have no prices or times.
            picks = [r for r in rs if r.get("count", 1) > 0] or rs
            by_first = min(picks, key=lambda r: r.get("event_time_first", 0))
            by_last = max(reversed(picks), key=lambda r: r.get("event_time_last", 0))
            parts = {r.get("log_partition", -1) for r in rs}
            for c in m:
                vals = [r[c] for r in rs]
                if isinstance(m[c], str) or c in ("window_start", "window_end"):
                    continue
                if c in ("event_time_first", "event_time_last"):
                    times = [r[c] for r in picks]
                    m[c] = min(times) if c == "event_time_first" else max(times)
                elif c.endswith("_min") or c == "low":
                    m[c] = min((v for v in vals if v == v), default=float("nan"))
                elif c.endswith("_max") or c in ("complete", "gap", "high"):
                    m[c] = max((v for v in vals if v == v), default=float("nan"))
                elif c == "open":
                    m[c] = by_first[c]
                elif c == "close":
                    m[c] = by_last[c]
                elif c == "vwap":
                    continue
                elif c == "log_partition":
                    m[c] = m[c] if len(parts) == 1 else -1
                elif c == "log_offset_first":
                    m[c] = min(vals) if len(parts) == 1 else -1
                elif c == "log_offset_last":
                    m[c] = max(vals) if len(parts) == 1 else -1
                elif c.endswith("_first"):
                    m[c] = by_first[c]
                elif c.endswith("_last"):
                    m[c] = by_last[c]
                elif not c.endswith("_mean"):
                    m[c] = sum(vals)
            for c in m:
                if c.endswith("_mean"):
                    m[c] = m[c[: -len("_mean")] + "_sum"] / m["count"]
            if "vwap" in m:
                m["vwap"] = m["quote_volume"] / m["volume"] if m["volume"] else float("nan")
        out.append((m, len(rs)))
    out.sort(key=lambda x: x[0]["window_start"])
    return [m for m, _ in out], sum(1 for _, n in out if n > 1)


def with_iso(row, names):
    out = {}
    for c in names:
        out[c] = row[c]
        if c in TIME_COLUMNS:
            out[c + "_iso"] = iso(row[c])
    return out


def same(expected, got, tol):
    if isinstance(expected, float):
        g = float(got) if got not in ("", None) else float("nan")
        if math.isnan(expected):
            return math.isnan(g)
        return g == expected if tol == 0 else abs(g - expected) <= tol * max(1.0, abs(expected))
    if isinstance(expected, int):
        return int(got) == expected
    return got == expected


def compare(path, want, got_rows, header, problems, tol):
    names = list(want[0].keys()) if want else header
    if header is not None and header != names:
        problems.append(f"{path}: header {header} != {names}")
        return
    if len(got_rows) != len(want):
        problems.append(f"{path}: {len(got_rows)} rows exported, expected {len(want)}")
        return
    for i, (w, g) in enumerate(zip(want, got_rows)):
        for c in names:
            if not same(w[c], g.get(c), tol):
                problems.append(f"{path} row {i} {c}: exported {g.get(c)!r}, expected {w[c]!r}")
                if len(problems) > 20:
                    return


def read_export(path, fmt):
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as fh:
            r = csv.reader(fh)
            header = next(r)
            return header, [dict(zip(header, rec)) for rec in r]
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return None, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h5", required=True)
    ap.add_argument("--dir")
    ap.add_argument("--format", choices=["csv", "jsonl"])
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--inspect", type=int, help="compare inspect --json's last N rows (stdin) instead")
    ap.add_argument("--dataset")
    ap.add_argument("--dump", action="store_true", help="print the dataset's rows (merged unless --raw) as JSON")
    args = ap.parse_args()
    problems, report, merged_windows = [], {}, 0
    with h5py.File(args.h5, "r") as f:
        paths = [args.dataset] if args.dataset else tables(f)
        for path in paths:
            rows = plain_rows(f, path)
            names = list(f[path].dtype.names)
            if args.dump:
                print(json.dumps(rows if args.raw or not is_window_table(names) else merged(rows)[0]))
                return
            if args.inspect is not None:
                got = json.load(sys.stdin)
                want = [with_iso(r, names) for r in rows[-args.inspect:]] if args.inspect else []
                if got["rows"] != len(rows) or got["dataset"] != path:
                    problems.append(f"inspect says {got['dataset']} has {got['rows']} rows; h5py: {path}, {len(rows)}")
                compare(path, want, got["last"], None, problems, 0)
                report[path] = len(rows)
                continue
            tol = 0
            if is_window_table(names) and not args.raw:
                rows, n = merged(rows)
                merged_windows += n
                tol = 0  # sums add up in file order, as the merge rule reads them
            want = [with_iso(r, names) for r in rows]
            target = os.path.join(args.dir, path.lstrip("/") + "." + args.format)
            if not os.path.exists(target):
                problems.append(f"{path}: {target} was not written")
                continue
            header, got = read_export(target, args.format)
            compare(path, want, got, header, problems, tol)
            report[path] = len(want)
    print(json.dumps({"tables": report, "merged_windows": merged_windows, "problems": problems}))
    sys.exit(1 if problems else 0)


main()
