"""Independent check of `npm run export` and `npm run inspect --json` (Debian's h5py).

Reads what the pipeline wrote with h5py: --h5 names a single HDF5 file or a store folder of
partition files (every store file in it, test/support/store_files.py; the earlier setting
`x.h5` names the folder `x`). Rebuilds what each table should export: its rows concatenated
over the files in order, texts by the read-back recipe of docs/hdf5-layout.md against each
row's own file's /text_heap, window rows merged by its merge rule over all files and /tweets
kept once per id (the first) unless --raw, an ISO-8601 UTC twin after each time column;
--from/--to (UTC day or hour, inclusive) keep the partitions overlapping the range and the rows
whose time lies in it. Compares that with the exported files (--dir, --format csv|jsonl) or with
inspect's JSON on stdin (--inspect N); --dump prints one dataset's rows as this reference reads
them (for the dashboard's specs). check_parquet.py imports expected_tables() from here.
Prints a JSON report: {"tables": {path: rows}, "merged_windows": n, "cross_file_windows": n
(windows with rows in more than one file), "problems": [...]}.
"""
import argparse
import csv
import datetime
import json
import math
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_files import parse_store_file_name, period_start, store_files  # noqa: E402

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


# The column by which the store puts a row in a partition (docs/hdf5-layout.md): --from/--to keep
# the rows whose value lies in the range; a /deletes row (its post's partition) has none.
ROW_TIME_COLUMNS = ["window_start", "open_time", "to"]


def row_time_column(names):
    return next((c for c in ROW_TIME_COLUMNS if c in names), None)


def date_column(names):
    """What dates a row in the Parquet export: its routing time, else created_at or deleted_at."""
    return row_time_column(names) or next((c for c in ("created_at", "deleted_at") if c in names), None)


def parse_range(frm, to):
    """[start, end) in ms for --from/--to (a UTC day YYYY-MM-DD or hour YYYY-MM-DDTHH, inclusive)."""
    if frm is None and to is None:
        return None
    start, end = float("-inf"), float("inf")
    if frm is not None:
        start = period_start(frm)
    if to is not None:
        end = period_start(to) + (3_600_000 if "T" in to else 86_400_000)
    return start, end


def files_of(given, rng):
    """[(path, late_rows_only)] to read, in order: files without a period first, then the partitions
    overlapping the range, then (with a range) those of the period right after it, for the rows the
    store wrote there after their own period was sealed."""
    found = []
    for p in store_files(given):
        parsed = parse_store_file_name(os.path.basename(p))
        start = parsed[0] if parsed else None
        end = None if start is None else start + (3_600_000 if "T" in os.path.basename(p).split(".")[0] else 86_400_000)
        found.append((p, start, end))
    ordered = [f for f in found if f[1] is None] + [f for f in found if f[1] is not None]
    if rng is None:
        return [(p, False) for p, _, _ in ordered]
    out = [(p, False) for p, start, end in ordered if start is None or (start < rng[1] and end > rng[0])]
    after = [f for f in ordered if f[1] is not None and f[1] >= rng[1]]
    if after:
        out += [(p, True) for p, start, _ in after if start < after[0][2]]
    return out


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


class Store:
    """The files of a store read as one: tables in order of first appearance, rows concatenated."""

    def __init__(self, given, rng=None):
        self.files = files_of(given, rng)
        self.rng = rng
        self.names = {}
        for p, _ in self.files:
            with h5py.File(p, "r") as f:
                for t in tables(f):
                    self.names.setdefault(t, list(f[t].dtype.names))

    def tables(self):
        return list(self.names)

    def rows(self, path):
        return [r for rows in self.rows_by_file(path) for r in rows]

    def rows_by_file(self, path):
        out = []
        col = row_time_column(self.names[path])
        for p, late_rows_only in self.files:
            if late_rows_only and col is None:
                continue
            with h5py.File(p, "r") as f:
                if path not in f:
                    continue
                rows = plain_rows(f, path)
            if self.rng is not None and col is not None:
                rows = [r for r in rows if self.rng[0] <= r[col] < self.rng[1]]
            out.append(rows)
        return out


def once_per_id(rows):
    seen, out = set(), []
    for r in rows:
        if r["id"] not in seen:
            seen.add(r["id"])
            out.append(r)
    return out


def expected_tables(given, rng=None, raw=False, only=None):
    """{path: (names, rows as exported, merged windows, windows with rows in several files)} of a
    store, as export writes them."""
    store = Store(given, rng)
    out = {}
    for path in only or store.tables():
        if path not in store.names:
            continue
        names = store.names[path]
        by_file = store.rows_by_file(path)
        rows = [r for rs in by_file for r in rs]
        n = across = 0
        if is_window_table(names) and not raw:
            seen = {}
            for i, rs in enumerate(by_file):
                for r in rs:
                    seen.setdefault(window_of(r), set()).add(i)
            across = sum(1 for files in seen.values() if len(files) > 1)
            rows, n = merged(rows)
        elif path == "/tweets" and "id" in names and not raw:
            rows = once_per_id(rows)
        out[path] = (names, [with_iso(r, names) for r in rows], n, across)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h5", required=True, help="an HDF5 file or a store folder")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--dir")
    ap.add_argument("--format", choices=["csv", "jsonl"])
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--inspect", type=int, help="compare inspect --json's last N rows (stdin) instead")
    ap.add_argument("--dataset")
    ap.add_argument("--dump", action="store_true", help="print the dataset's rows (merged unless --raw) as JSON")
    args = ap.parse_args()
    problems, report, merged_windows, cross_file_windows = [], {}, 0, 0
    rng = parse_range(args.frm, args.to)
    if args.dump or args.inspect is not None:
        store = Store(args.h5, rng)
        path = args.dataset
        names = store.names[path]
        rows = store.rows(path)
        if args.dump:
            print(json.dumps(rows if args.raw or not is_window_table(names) else merged(rows)[0]))
            return
        got = json.load(sys.stdin)
        want = [with_iso(r, names) for r in rows[-args.inspect:]] if args.inspect else []
        if got["rows"] != len(rows) or got["dataset"] != path:
            problems.append(f"inspect says {got['dataset']} has {got['rows']} rows; h5py: {path}, {len(rows)}")
        compare(path, want, got["last"], None, problems, 0)
        report[path] = len(rows)
    else:
        only = [args.dataset] if args.dataset else None
        for path, (names, want, n, across) in expected_tables(args.h5, rng, args.raw, only).items():
            merged_windows += n
            cross_file_windows += across
            target = os.path.join(args.dir, path.lstrip("/") + "." + args.format)
            if not os.path.exists(target):
                problems.append(f"{path}: {target} was not written")
                continue
            header, got = read_export(target, args.format)
            compare(path, want, got, header, problems, 0)
            report[path] = len(want)
    print(json.dumps({"tables": report, "merged_windows": merged_windows,
                      "cross_file_windows": cross_file_windows, "problems": problems}))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
