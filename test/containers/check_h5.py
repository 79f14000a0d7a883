#!/usr/bin/python3
"""Independent check of the HDF5 output of a processor container (h5py, not h5wasm).

Usage: check_h5.py FILE [--match GLOB] [--min-rows N] [--quiet]

FILE is the configured path, read as a store (test/support/store_files.py): the file
itself if it exists, plus every partition file of its folder (`x.h5` names the folder
`x`). Walks every dataset of every file, prints its path, row count (over the files),
dtype and (for compound types) its fields, then exits 0 when the datasets whose path
matches GLOB hold at least N rows together; 1 when they do not; 2 when the store cannot
be read (no file, or one caught mid-write: h5wasm takes no lock, so the caller should
retry).
Layouts expected today: binance "/<stream>/<SYMBOL>" (GLOB "/*/*"), twitter "/tweets".
"""
import argparse
import fnmatch
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from store_files import store_files  # noqa: E402

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

    by_path = {}  # dataset path -> [rows over the files, dtype of the first file holding it]
    try:
        files = store_files(a.file, require=True)
        for part in files:
            with h5py.File(part, "r") as f:
                def visit(name, obj):
                    if isinstance(obj, h5py.Dataset):
                        rows = obj.shape[0] if obj.shape else 1
                        by_path.setdefault("/" + name, [0, describe(obj)])[0] += rows
                f.visititems(visit)
    except (OSError, KeyError, ValueError) as err:
        print(f"check_h5: {a.file}: cannot read: {err}")
        return 2
    found = [(p, r, d) for p, (r, d) in by_path.items()]

    matched = [(p, r, d) for p, r, d in found if fnmatch.fnmatchcase(p, a.match)]
    if not a.quiet:
        for p, r, d in found:
            mark = "*" if (p, r, d) in matched else " "
            print(f"  {mark} {p}: {r} rows, {d}")
    total = sum(r for _, r, _ in matched)
    ok = total >= a.min_rows
    print(f"check_h5: {a.file} ({len(files)} file{'' if len(files) == 1 else 's'}): {len(found)} datasets, {len(matched)} match '{a.match}' with "
          f"{total} rows (need {a.min_rows}): {'OK' if ok else 'NOT ENOUGH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
