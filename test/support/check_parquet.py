"""Independent check of `npm run export -- STORE --parquet OUT` with PyPI's pyarrow (plus pandas,
polars and DuckDB as plain readers), run by the virtual environment scripts/test-prereqs.sh makes.

The reference rows are check_export.py's (h5py: every store file, texts from each row's own
/text_heap, window rows merged by docs/hdf5-layout.md's rule, /tweets once per id). The export
is read with no code of ours: pyarrow.dataset with Hive partitioning over OUT/<table> (the
symbol and date keys come from the folder names), then every row and value is compared, the
column types are checked (int64, int32, uint8, double, string; each `_iso` twin a UTC
millisecond timestamp equal to its column), each partition's rows are checked to be the
reference's rows of that symbol and date in the same order, and pandas, polars and DuckDB
must count the same rows. Prints {"tables": {path: rows}, "files": n, "problems": [...]}.
"""
import argparse
import datetime
import glob
import json
import math
import os
import sys

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_export import TIME_COLUMNS, date_column, expected_tables, parse_range  # noqa: E402

ARROW_TYPES = {"i8": pa.int64(), "i4": pa.int32(), "u1": pa.uint8(), "f8": pa.float64(), "S": pa.string()}


def day_of(ms):
    return (datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=int(ms))).strftime("%Y-%m-%d")


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def layout(out, path, names):
    """(folder of the table's dataset, symbol or None): per-symbol tables have a symbol= level."""
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and "symbol" not in names:
        return os.path.join(out, *parts[:-1]), parts[-1]
    return os.path.join(out, *parts), None


def expected_type(h5_types, col):
    if col.endswith("_iso") and col[: -len("_iso")] in TIME_COLUMNS:
        return pa.timestamp("ms", tz="UTC")
    code = h5_types[col]
    return ARROW_TYPES["S" if code.kind == "S" else code.kind + str(code.itemsize)]


def check_table(out, path, names, want, h5_types, problems):
    folder, symbol = layout(out, path, names)
    if not want:
        if os.path.exists(folder) and symbol is None:
            problems.append(f"{path}: no rows, yet {folder} exists")
        return 0
    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    table = dataset.to_table() if symbol is None else dataset.to_table(filter=ds.field("symbol") == symbol)
    header = list(want[0].keys())
    keys = ["symbol", "date"] if symbol is not None else ["date"]
    if table.column_names != header + keys:
        problems.append(f"{path}: columns {table.column_names}, expected {header + keys}")
        return 0
    for col in header:
        t = table.schema.field(col).type
        if t != expected_type(h5_types, col):
            problems.append(f"{path}: column {col} is {t}, expected {expected_type(h5_types, col)}")
    if table.num_rows != len(want):
        problems.append(f"{path}: {table.num_rows} rows read back, expected {len(want)}")
        return 0
    time_col = date_column(names)
    # Every partition holds the reference's rows of its date (and symbol), in their order.
    by_partition = {}
    for r in want:
        by_partition.setdefault(day_of(r[time_col]), []).append(r)
    base = os.path.join(folder, f"symbol={symbol}") if symbol is not None else folder
    found_dates = sorted(d[len("date="):] for d in os.listdir(base))
    if found_dates != sorted(by_partition):
        problems.append(f"{path}: date partitions {found_dates}, expected {sorted(by_partition)}")
        return 0
    for date, rows in by_partition.items():
        part_dir = os.path.join(base, f"date={date}")
        parts = sorted(glob.glob(os.path.join(part_dir, "part-*.parquet")),
                       key=lambda p: int(os.path.basename(p)[len("part-"):-len(".parquet")]))
        got = pa.concat_tables([pq.read_table(p) for p in parts]).to_pylist()
        if len(got) != len(rows):
            problems.append(f"{path} date={date}: {len(got)} rows, expected {len(rows)}")
            continue
        for i, (w, g) in enumerate(zip(rows, got)):
            for col in header:
                expected = w[col]
                if col.endswith("_iso") and col[: -len("_iso")] in TIME_COLUMNS:
                    value = g[col]
                    ms = (value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(milliseconds=1)
                    ok = ms == w[col[: -len("_iso")]] and value.tzinfo is not None
                else:
                    ok = same(expected, g[col])
                if not ok:
                    problems.append(f"{path} date={date} row {i} {col}: {g[col]!r}, expected {expected!r}")
                    if len(problems) > 20:
                        return 0
    # The dataset read as a whole (pyarrow's own row order) holds the same rows.
    whole = table.drop_columns(keys).to_pylist()
    def key(r):
        return tuple(repr(r[c]) for c in header if not c.endswith("_iso"))
    if sorted(map(key, whole)) != sorted(map(key, want)):
        problems.append(f"{path}: the dataset read whole does not hold the reference's rows")
    return len(want)


def other_readers(out, report, problems):
    """pandas, polars and DuckDB read every table folder and count the same rows."""
    import duckdb
    import pandas as pd
    import polars as pl

    per_folder = {}
    for path, (folder, rows) in report.items():
        per_folder[folder] = per_folder.get(folder, 0) + rows
    for folder, rows in per_folder.items():
        if rows == 0:
            continue
        n_pandas = len(pd.read_parquet(folder))
        n_polars = pl.scan_parquet(os.path.join(folder, "**", "*.parquet"), hive_partitioning=True).select(
            pl.len()).collect().item()
        glob_path = os.path.join(folder, "**", "*.parquet").replace("'", "''")
        n_duckdb = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob_path}', hive_partitioning = true)").fetchall()[0][0]
        if not n_pandas == n_polars == n_duckdb == rows:
            problems.append(f"{folder}: pandas {n_pandas}, polars {n_polars}, DuckDB {n_duckdb} rows, expected {rows}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h5", required=True, help="the store exported: an HDF5 file or a store folder")
    ap.add_argument("--out", required=True, help="the --parquet folder")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    args = ap.parse_args()
    import h5py

    problems, report = [], {}
    expected = expected_tables(args.h5, parse_range(args.frm, args.to))
    types = {}
    for path in expected:
        for f in sorted(glob.glob(os.path.join(args.h5, "*.h5"))) if os.path.isdir(args.h5) else [args.h5]:
            with h5py.File(f, "r") as h:
                if path in h:
                    types[path] = {n: h[path].dtype.fields[n][0] for n in h[path].dtype.names}
                    break
    for path, (names, want, _, _) in expected.items():
        rows = check_table(args.out, path, names, want, types[path], problems)
        report[path] = (layout(args.out, path, names)[0], rows)
    other_readers(args.out, report, problems)
    files = len(glob.glob(os.path.join(args.out, "**", "*.parquet"), recursive=True))
    print(json.dumps({"tables": {p: n for p, (_, n) in report.items()}, "files": files, "problems": problems}))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
