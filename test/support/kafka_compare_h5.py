#!/usr/bin/python3
"""Compares two HDF5 files row by row, used by the Kafka restart tests.

A processor killed and restarted under Kafka must leave exactly the file an
uninterrupted run leaves. This reads every dataset of both files with h5py
(or only the ones given with --dataset), sorts each dataset's rows, and
requires exact equality: integers, byte strings and floats compared with ==
(no tolerance; a float that differs reports its distance in ULPs).

Each side is a configured path read as a store (test/support/store_files.py):
the file itself if it exists, plus every partition file of its folder (`x.h5`
names the folder `x`). A dataset's rows are those of all its files together
(a dataset missing in some files is normal); a dataset without columns (the
text heap) is compared as its files' values concatenated in store order.

Prints a JSON summary; exits 1 on any difference.
"""
import argparse
import json
import math
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_files import store_files  # noqa: E402


def datasets(path, only):
    out = {}
    for part in store_files(path, require=True):
        with h5py.File(part, "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset) and (not only or "/" + name in only):
                    rows = obj[:]
                    names = rows.dtype.names
                    if names:
                        cols, values = list(names), [tuple(r[n].item() for n in names) for r in rows]
                    else:
                        cols, values = ["value"], [(v.item(),) for v in rows]
                    seen = out.setdefault("/" + name, (cols, []))
                    if seen[0] != cols:
                        # Files of one store disagree on a table's columns: kept apart, so it is reported.
                        out.setdefault(f"/{name} (columns of {part})", (cols, []))[1].extend(values)
                    else:
                        seen[1].extend(values)
            f.visititems(visit)
    for name, (cols, values) in out.items():
        if cols != ["value"]:
            values.sort()
    return out


def ulps(a, b):
    if not (isinstance(a, float) and isinstance(b, float)) or not (math.isfinite(a) and math.isfinite(b)):
        return None
    return round(abs(a - b) / math.ulp(max(abs(a), abs(b)) or 5e-324))


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expected", required=True, help="the uninterrupted run's file")
    ap.add_argument("--actual", required=True)
    ap.add_argument("--dataset", action="append", default=[], help="compare only these (repeatable)")
    args = ap.parse_args()
    exp, act = datasets(args.expected, args.dataset), datasets(args.actual, args.dataset)
    problems = []
    rows = 0
    for name in sorted(set(exp) | set(act)):
        if name not in act or name not in exp:
            problems.append(f"{name}: only in {'expected' if name in exp else 'actual'}")
            continue
        (cols, e_rows), (a_cols, a_rows) = exp[name], act[name]
        if cols != a_cols:
            problems.append(f"{name}: columns differ: {cols} vs {a_cols}")
            continue
        if len(e_rows) != len(a_rows):
            problems.append(f"{name}: {len(e_rows)} rows expected, {len(a_rows)} found")
        for i, (e, a) in enumerate(zip(e_rows, a_rows)):
            rows += 1
            for col, ev, av in zip(cols, e, a):
                if not same(ev, av):
                    u = ulps(ev, av)
                    problems.append(f"{name} sorted row {i} {col}: expected {ev!r}, got {av!r}"
                                    + (f" ({u} ulp)" if u is not None else ""))
                    break
    print(json.dumps({"datasets": len(exp), "rows_compared": rows, "problems": problems[:20],
                      "problem_count": len(problems)}))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
