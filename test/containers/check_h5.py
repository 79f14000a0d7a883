#!/usr/bin/python3
"""Independent check of an HDF5 file written by a processor container (h5py, not h5wasm).

Usage: check_h5.py FILE [--match GLOB] [--min-rows N] [--quiet]

Walks every dataset, prints its path, row count, dtype and (for compound types) its
fields, then exits 0 when the datasets whose path matches GLOB hold at least N rows
together; 1 when they do not; 2 when the file cannot be read (missing, or caught
mid-write: h5wasm takes no lock, so the caller should retry).
Layouts expected today: binance "/<stream>/<SYMBOL>" (GLOB "/*/*"), twitter "/tweets".
"""
import argparse
import fnmatch
import sys

try:
    import h5py
except ImportError:  # Debian: apt-get install python3-h5py
    print("check_h5: h5py is missing (apt-get install python3-h5py)", file=sys.stderr)
    sys.exit(3)


def describe(ds):
    dt = ds.dtype
    if dt.names:
        return "compound(" + ", ".join(f"{n}:{dt.fields[n][0]}" for n in dt.names) + ")"
    return str(dt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--match", default="*", help="glob on dataset paths, e.g. '/*/*' or '/tweets'")
    ap.add_argument("--min-rows", type=int, default=1)
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    a = ap.parse_args()

    found = []
    try:
        with h5py.File(a.file, "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    rows = obj.shape[0] if obj.shape else 1
                    found.append(("/" + name, rows, describe(obj)))
            f.visititems(visit)
    except (OSError, KeyError, ValueError) as err:
        print(f"check_h5: {a.file}: cannot read: {err}")
        return 2

    matched = [(p, r, d) for p, r, d in found if fnmatch.fnmatchcase(p, a.match)]
    if not a.quiet:
        for p, r, d in found:
            mark = "*" if (p, r, d) in matched else " "
            print(f"  {mark} {p}: {r} rows, {d}")
    total = sum(r for _, r, _ in matched)
    ok = total >= a.min_rows
    print(f"check_h5: {a.file}: {len(found)} datasets, {len(matched)} match '{a.match}' with "
          f"{total} rows (need {a.min_rows}): {'OK' if ok else 'NOT ENOUGH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
